/**
 * The payloads of the resolver's records (AgentInfo, shares, gossip) and their codec: CBOR on the wire inside the
 * DHT's signed envelope, JSON for people. This is where untrusted payloads, written by any publisher on the network,
 * are decoded.
 *
 * <p>Threats it defends against: hostile payloads (size limits on every field, {@code Limits}, checked before and
 * while decoding; a decoded value must pass the same checks as one made locally; the record kind must match the
 * payload and the envelope's signature must verify); decoder abuse (a payload that fails any check is not an error
 * that propagates, it is simply not believed, and the reader moves on); confusion between record kinds (each kind has
 * its own content-key domain and payload shape, so a record cannot be replayed as another kind).
 */
package org.dialtone.resolver.record;
