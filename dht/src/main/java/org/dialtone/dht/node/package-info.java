/**
 * The node's internals, not API: answering queries ({@link org.dialtone.dht.node.QueryServer}), admitting contacts
 * that prove their key ({@link org.dialtone.dht.node.Contacts}), driving lookups over RPC
 * ({@link org.dialtone.dht.node.LookupRunner}), the table of others' subscriptions, and the state they share
 * ({@link org.dialtone.dht.node.NodeContext}). Everything here runs on the node's thread. The classes are public only
 * so that the facade, watches and publications can wire them; they are not for callers.
 *
 * <p>Threats: spoofed stores and subscriptions (write tokens bound to the address), routing-table poisoning
 * (contacts admitted only after a signed challenge; ids checked against keys), amplification (a reply never larger
 * than the datagram limit, no reply to an unwatched NOTIFY), unbounded state (pending verifications, subscriptions
 * and handoffs all capped).
 */
package org.dialtone.dht.node;
