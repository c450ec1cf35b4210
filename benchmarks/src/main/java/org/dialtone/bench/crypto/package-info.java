/**
 * What an Ed25519 signature and verification cost here, by library: Bouncy Castle (what the DHT uses), the JDK's
 * SunEC, and the system's libsodium through JNA when it is installed. Threats: none (a measurement; it only reads its
 * own random keys).
 */
package org.dialtone.bench.crypto;
