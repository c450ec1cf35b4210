/**
 * The DHT's typed errors: {@link org.dialtone.dht.error.ErrorCode}, whose numbers are part of the wire protocol and
 * never change meaning, and {@link org.dialtone.dht.error.DhtException}, which carries one. A leaf: it depends on no
 * other Dialtone package, so every other package may use it without a cycle.
 *
 * <p>Threats: none of its own; codes received in ERROR replies are mapped through
 * {@link org.dialtone.dht.error.ErrorCode#fromWire} and unknown ones are not trusted to mean anything.
 */
package org.dialtone.dht.error;
