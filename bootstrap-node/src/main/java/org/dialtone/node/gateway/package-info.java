/**
 * The HTTP gateway: the seed's BBS directory ({@code /dial}, {@code /discover}, {@code /numbers}, {@code /agents})
 * served from the DHT, a WebSocket feed of a number's events, {@code /health} and {@code /metrics}.
 * {@link org.dialtone.node.gateway.Gateway} listens and routes; one class per concern answers: {@code DirectoryRoutes}
 * (the directory), {@code NodeStatusRoutes} (health, status, metrics), {@code RecordsEndpoint} (a browser's signed
 * record), {@code SignalEndpoint} with {@code SignalRelay} (signals between browser agents and their inboxes) and
 * {@code SignalForwarder} (to the node another agent's record names, as a DHT SIGNAL; {@code NodeEndpoint} is how a
 * record names a node),
 * {@code WatchEndpoint} (the watches, within a {@code WatchBudget}), {@code WebAssets} (the page), all
 * through {@code JsonReplies} (every answer JSON, errors included) and {@code RequestParams} (strict inputs).
 *
 * <p>Threats: one endpoint stores, {@code POST /records}, and only what a STORE would admit and more (a browser's own
 * signed PRESENCE, LEFT or AGENT, filed under the number or key it names, naming no node but this one, 4 KiB,
 * rate-limited per /24 and /48), so it cannot be
 * used to inject records anyone else could not store; {@code POST /signals} stores nothing and passes on only signals
 * their sender signed, unchanged, to an inbox whose owner proved its key, within limits per sender /24 and /48, per
 * recipient and per inbox; a signal for an agent attached elsewhere goes only to the node a record the recipient
 * signed names, only after that node's address proved its key (so a record cannot aim the node at a victim), one hop
 * at most, with forwards bounded per sender network; a SIGNAL from another node is checked as a POST, with the
 * forwarding node's network rate-limited; every other endpoint only reads; inputs are
 * validated before any lookup (numbers by the strict parser, words by the record rules, keys as 64 hex digits, URIs
 * bounded); client input is echoed only escaped; WebSocket watches are bounded in total by the node's own DHT
 * watch limit and per client address, and a refused watch is always told (503 or a JSON close reason); metric labels
 * never come from clients.
 */
package org.dialtone.node.gateway;
