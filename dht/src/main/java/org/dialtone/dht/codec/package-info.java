/**
 * The CBOR subset the wire protocol speaks, read and written by code of our own: {@link
 * org.dialtone.dht.codec.CborReader} and {@link org.dialtone.dht.codec.CborWriter}. The subset is RFC 8949's core
 * deterministic encoding of integers, byte and text strings, arrays, maps with integer keys and booleans: definite
 * lengths, shortest integers, keys ascending; no tags, floats, {@code null} or other simple values. Each value has one
 * encoding, and the writer produces it.
 *
 * <p>Threats: everything read here arrived on a public UDP port. The reader refuses anything outside the subset with a
 * typed {@link org.dialtone.dht.codec.CborException} naming the rule broken (truncation, trailing bytes, indefinite
 * lengths, non-shortest integers, tags, floats, simple values, non-integer, duplicate or unordered keys, nesting beyond
 * the limit, invalid UTF-8), checks every length against the bytes left before allocating, enters no nesting beyond
 * the limit (it never recurses), and throws nothing else for any input. It knows nothing of messages: the protocol's
 * shapes are checked by {@code org.dialtone.dht.wire}.
 */
package org.dialtone.dht.codec;
