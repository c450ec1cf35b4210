/**
 * The wire protocol: the {@link org.dialtone.dht.wire.Message} family and its binary encoding,
 * {@link org.dialtone.dht.wire.MessageCodec} (one CBOR map with integer keys per UDP datagram, specified in
 * {@code docs/protocol.md}), the public face of {@code MessageWriter} and {@code MessageReader}, which read and write
 * the CBOR through {@link org.dialtone.dht.codec.CborReader} and {@link org.dialtone.dht.codec.CborWriter}.
 * {@link org.dialtone.dht.wire.MessageType} is the one table of message types (wire number, request or response,
 * required keys); {@code WireKeys} the table of map keys. Code that handles every type does so through the message
 * families' visitors, so there is no cast and the compiler names every place a new type must be handled.
 *
 * <p>Everything that arrives on a public UDP port is hostile until proven otherwise. The decoder defends against
 * oversized datagrams (refused before parsing), malformed or truncated CBOR, trailing bytes, anything outside the
 * CBOR subset or not in its one deterministic encoding (indefinite lengths, long integers, tags, floats, duplicate,
 * unordered or text keys: refused by the codec reader), wrong types, wrong byte lengths, out-of-range numbers, unknown versions and types, over-long lists and deep
 * nesting; it skips unknown keys so that later versions can add fields. Whatever the input, it returns a message whose
 * fields are all in range or throws a {@link org.dialtone.dht.wire.DecodeException}, and nothing else, so that one bad
 * datagram can never throw out of the event loop. Decoding checks shapes only: signatures, tokens and challenge proofs
 * are checked by the node.
 */
package org.dialtone.dht.wire;
