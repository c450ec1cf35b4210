/**
 * The side-by-side benchmark against peer DHT implementations: {@link org.dialtone.bench.peers.DialtoneScenario}
 * runs the shared scenario (N nodes on loopback UDP, formation, announces and lookups) and writes one JSON result per
 * run (its phases: formation, then {@code JoinOne} and {@code OpPhases}, on {@code LoopbackNodes});
 * {@link org.dialtone.bench.peers.Summary} reads every implementation's results and writes the comparison table and
 * plots ({@code RunMetrics} the figures, medians, ratios and targets; {@code SummaryTables}; {@code SummaryPlots}).
 *
 * <p>Threats: the nodes bind only {@code 127.0.0.1}, so nothing leaves the machine; result files are read only from the results directory given, by file-name pattern, and parsed
 * with Jackson (no code is loaded from them).
 */
package org.dialtone.bench.peers;
