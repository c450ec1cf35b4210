/**
 * The UDP and QUIC edge of hole punching: one Netty datagram socket per punch ({@code PunchChannel}) that asks STUN
 * servers for its own public mapping, sends and takes the puncher's probes (with the birthday strategy's extra
 * sockets, all closed but the one that punched), and then carries QUIC (Netty's native
 * codec, quiche) to the punched peer; a throwaway TLS certificate (QUIC needs one; the agent handshake proves the
 * key); a splice from the QUIC stream to a loopback TCP socket, so the agent's WebSocket connection runs unchanged.
 *
 * <p>Threats: a stranger's datagrams on a punch socket (QUIC packets are passed to the codec only from the punched
 * peer; probes need the session's 16-byte token; STUN answers need an open transaction id from the server asked;
 * everything else is dropped and counted); a man in the middle on the punched path (QUIC's certificate is not
 * checked, but the agent handshake on the stream must prove the dialled key, and frames stay sealed end to end); a
 * local process racing for the dialler's loopback listener (it accepts one connection and stops listening; whoever
 * takes it still faces the handshake, so the worst is a failed upgrade that stays relayed).
 */
package org.dialtone.agent.quic;
