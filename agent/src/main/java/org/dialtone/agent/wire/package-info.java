/**
 * The frames of an established agent connection: type (1 byte), stream id (4 bytes), body (at most 64 KiB).
 *
 * <p>Threats it defends against: oversized or truncated frames and unknown types (decoding checks the size first and
 * fails with a typed {@link org.dialtone.agent.AgentException}, which closes the connection with a coded reason;
 * nothing is allocated from a length the peer claims beyond the bytes actually received); stream-id confusion (each
 * side opens streams of its own parity, 0 is the connection itself). {@link org.dialtone.agent.wire.EarlyClose} reads
 * the code of a refusal that arrived before Vert.x finished connecting the socket.
 */
package org.dialtone.agent.wire;
