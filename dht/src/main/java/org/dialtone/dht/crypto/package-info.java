/**
 * Ed25519 identities (Bouncy Castle): key pairs, signatures, the challenge proof a contact answers to enter a
 * routing table, and owner-only key files so a node keeps its id across restarts.
 *
 * <p>Defends against: impersonation (a node id is the hash of a key only its holder can sign with), replayed
 * proofs (every challenge is fresh and domain-separated), and key theft from the data directory by other users
 * (mode 0600, written atomically).
 */
package org.dialtone.dht.crypto;
