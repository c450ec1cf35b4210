/**
 * The long-running node: {@link org.dialtone.node.runner.NodeRunner} starts a DHT node with its data directory,
 * HTTP gateway, metrics and logs from {@link org.dialtone.node.runner.NodeSettings}; the CLI's {@code node} and
 * {@code demo} commands drive it.
 *
 * <p>Threats: the node restores only records that verify from its data directory; the gateway stores nothing.
 */
package org.dialtone.node.runner;
