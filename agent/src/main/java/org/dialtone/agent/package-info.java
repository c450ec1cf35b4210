/**
 * Agents: dial numbers through the DHT, host numbers with services over a WebSocket server, connect directly to other
 * agents (the endpoint must prove the key its HOST record was signed with), open streams to services (chat, files),
 * and gossip the numbers they know on every connection.
 *
 * <p>{@link org.dialtone.agent.Agent} is the facade: it wires parts that share an {@code AgentContext} and never call
 * back on it: {@code Hosting} (listen, publish HOST), {@code RelayReach} (dial-back or reservation at relays, reserved
 * again when lost), {@code HostChoice} (which host of a number, trust on first use), {@code HostRecords} (HOST records
 * read from the DHT), {@code ConnectionDialler} (WebSocket and client handshake), {@code OpenConnections}; the
 * listening side is {@link org.dialtone.agent.AgentServer}. {@link org.dialtone.agent.AgentConnection} likewise wires
 * {@code FrameSocket} (sealed frames, backpressure), {@code ServiceStreams} (stream ids, services),
 * {@code NumberGossip} (the bounded exchange) and {@code SendQueueWatch} (a peer that does not read).
 *
 * <p>Threats it defends against: an endpoint that is not who the record says (the handshake makes it prove the
 * record's key, or the connection fails with WRONG_KEY); connection floods ({@link org.dialtone.agent.AgentOptions}
 * bounds connections per server and per remote address, handshakes and idle connections time out); stream floods (64
 * streams per connection); a peer that sends too fast or too much (frames at most 64 KiB, a receiver's backpressure
 * pauses the sender, files are size-capped and checked against their SHA-256, a corrupt one is deleted); hostile
 * frames (any frame that does not decrypt or parse closes the connection with a coded reason). Time is injected
 * ({@code ConnectionTimers} on a {@link org.dialtone.dht.time.Scheduler}), so timeouts are tested on virtual time.
 */
package org.dialtone.agent;
