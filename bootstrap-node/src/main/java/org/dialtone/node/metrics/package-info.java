/**
 * The node's {@code /metrics}: Micrometer meters rendered by its Prometheus registry. The DHT's counters are bound by
 * construction (an exhaustive switch gives every counter its series), beside the node's gauges, the gateway's requests
 * by route and status, the gateway's DHT-read latencies, JVM and process metrics, and build info.
 *
 * <p>Threat: a client that mints label values would grow the series without bound and exhaust memory (and the
 * scraper). Every label value here comes from code (a counter, a fixed route name, a status the gateway chose),
 * never from a path or parameter a client sent.
 */
package org.dialtone.node.metrics;
