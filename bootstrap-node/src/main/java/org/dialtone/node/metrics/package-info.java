/**
 * The node's /metrics in Prometheus text format, rendered by hand from the DHT's counters, plus a latency
 * histogram of the gateway's lookups. Label values come from code, never from clients, so series stay bounded.
 */
package org.dialtone.node.metrics;
