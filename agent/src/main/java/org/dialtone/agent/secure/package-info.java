/**
 * The agent handshake and channel: X25519 ephemeral keys, domain-separated Ed25519 signatures over the transcript,
 * HKDF-SHA256 session keys, and ChaCha20-Poly1305 frames with a counter nonce (see {@code docs/connections.md}).
 *
 * <p>Threats it defends against: impersonation (each side signs the transcript with its long-term key; the dialler
 * requires the key the HOST record named); man in the middle (the signatures cover both ephemeral keys); replayed,
 * reordered, dropped or altered frames (the nonce is an implicit per-direction counter, so any of these fails
 * authentication and closes the connection); downgrade to plaintext (allowed only when both sides ask for it and the
 * peer is on loopback); key reuse across sessions (fresh ephemeral keys every handshake, forward secrecy).
 */
package org.dialtone.agent.secure;
