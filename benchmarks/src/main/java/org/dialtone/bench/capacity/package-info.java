/**
 * What one node serves: an open-loop load generator that drives one DHT node over real UDP on loopback from many
 * source addresses (each in its own /24, so per-host limits do not decide the figure), step by step up the offered
 * rate, and the same generator against a bare Vert.x UDP echo, which is the ceiling that the machine, the kernel and
 * Vert.x put on any UDP service. {@link org.dialtone.bench.capacity.CapacityBench} runs both, the target in a child
 * process pinned to one core and the generator on another, and reports requests per second served with p99 under
 * 10 ms, the target's CPU and allocation per request.
 */
package org.dialtone.bench.capacity;
