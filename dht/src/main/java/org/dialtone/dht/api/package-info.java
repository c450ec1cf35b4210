/**
 * What a {@link org.dialtone.dht.DhtNode} takes and returns: its configuration ({@link org.dialtone.dht.api.DhtConfig}),
 * the results of its operations, the handles of watches and publications, and its counters. Plain values and
 * interfaces, without behaviour of the node's own, so that the node's internals can use them without depending on
 * the facade.
 *
 * <p>Threats: a config is validated once when built, so a node never runs with limits that would leave a table,
 * cache or queue unbounded.
 */
package org.dialtone.dht.api;
