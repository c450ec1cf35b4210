/**
 * Simulations of 10^3 to 10^5 DHT nodes on the simulated network and a virtual clock
 * ({@link org.dialtone.bench.sim.SimMain}): formation, lookups under churn and loss, with hops, messages and
 * latency percentiles written as JSON, a Markdown table and SVG plots. Every run takes a seed and is reproduced
 * exactly from it.
 *
 * <p>Threats: none from outside (no sockets); the guarded-against failure is a result that cannot be reproduced, so
 * time is virtual and all randomness comes from the seed.
 */
package org.dialtone.bench.sim;
