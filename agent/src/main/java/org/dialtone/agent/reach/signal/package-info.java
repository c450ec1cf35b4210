/**
 * The signaling envelope: a connect request, its answer and the punch sync that agents send each other through
 * nodes (Java agents now, browsers later), carrying each side's NAT type and candidate addresses, or an opaque
 * transport payload such as a WebRTC session description. Transport-agnostic bytes with a strict codec
 * ({@link org.dialtone.agent.reach.signal.SignalCodec}) and a verifier
 * ({@link org.dialtone.agent.reach.signal.SignalVerifier}).
 *
 * <p>Defends against: forging (every envelope is signed by its sender's Ed25519 key under a domain-separated label,
 * so a forwarding node can drop a signal but not make or alter one); redirection (the recipient's key is signed, and
 * the recipient refuses envelopes for anyone else); replay (a fresh 128-bit nonce per envelope, remembered until the
 * envelope expires, and a lifetime of at most 60 s); oversized input (1,100 bytes at most, length checks before
 * anything is read, a typed error for every refusal, fail-closed when the replay table is full).
 */
package org.dialtone.agent.reach.signal;
