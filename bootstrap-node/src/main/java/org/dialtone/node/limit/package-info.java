/**
 * Limits on what one source can ask of a node's edge services (the STUN port, records that browsers publish through
 * the gateway): token buckets per source prefix, so that one host, or one /24 or /48 of addresses, cannot take what
 * everyone shares, and one global bucket, so that many prefixes together cannot either. The table of prefixes is
 * bounded and forgets the least recently heard first.
 */
package org.dialtone.node.limit;
