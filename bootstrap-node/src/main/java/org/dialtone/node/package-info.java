/**
 * The runnable side of Dialtone: {@link org.dialtone.node.Main} (the {@code dialtone} command), the long-running
 * node with its data directory ({@link org.dialtone.node.runner.NodeRunner}), the HTTP gateway, metrics and logs.
 *
 * <p>Threats: the node restores only records that verify; the gateway stores nothing; inputs from flags, files,
 * HTTP and WebSocket are validated at the edge and echoed only escaped.
 */
package org.dialtone.node;
