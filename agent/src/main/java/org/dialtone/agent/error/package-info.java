/**
 * The agent's typed errors: {@link org.dialtone.agent.error.AgentError}, each with the WebSocket close code that
 * carries it to the peer, and {@link org.dialtone.agent.error.AgentException}, which carries one and shares the shape
 * of every Dialtone exception ({@link org.dialtone.dht.error.DialtoneException}). A leaf of the agent module: the
 * handshake, the frame codec and the agent all use it without depending on each other.
 *
 * <p>Threats: a close code received from a peer is mapped through
 * {@link org.dialtone.agent.error.AgentError#ofCloseCode}; unknown codes become {@code CLOSED}, never trusted to mean
 * more.
 */
package org.dialtone.agent.error;
