/**
 * The HTTP gateway: the seed's BBS directory ({@code /dial}, {@code /discover}, {@code /numbers}, {@code /agents})
 * served from the DHT, a WebSocket feed of a number's events, {@code /health} and {@code /metrics}.
 * {@link org.dialtone.node.gateway.Gateway} listens and routes; one class per concern answers: {@code DirectoryRoutes}
 * (the directory), {@code NodeStatusRoutes} (health, status, metrics), {@code RecordsEndpoint} (a browser's signed
 * record), {@code SignalEndpoint} with {@code SignalRelay} (signals between browser agents and their inboxes),
 * {@code WatchEndpoint} (the watches, within a {@code WatchBudget}), {@code WebAssets} (the page), all
 * through {@code JsonReplies} (every answer JSON, errors included) and {@code RequestParams} (strict inputs).
 *
 * <p>Threats: one endpoint stores, {@code POST /records}, and only what a STORE would admit and more (a browser's own
 * signed PRESENCE or LEFT, filed under the number it names, 4 KiB, rate-limited per /24 and /48), so it cannot be
 * used to inject records anyone else could not store; {@code POST /signals} stores nothing and passes on only signals
 * their sender signed, unchanged, to an inbox whose owner proved its key, within limits per sender /24 and /48, per
 * recipient and per inbox; every other endpoint only reads; inputs are
 * validated before any lookup (numbers by the strict parser, words by the record rules, keys as 64 hex digits, URIs
 * bounded); client input is echoed only escaped; WebSocket watches are bounded in total by the node's own DHT
 * watch limit and per client address, and a refused watch is always told (503 or a JSON close reason); metric labels
 * never come from clients.
 */
package org.dialtone.node.gateway;
