/**
 * JMH micro-benchmarks of the DHT's hot paths (codec, crypto, routing table, record store, a lookup on the simulated
 * network) and {@link org.dialtone.bench.jmh.JmhReport}, which turns JMH's JSON into a table. Run by
 * {@code benchmarks/run-jmh.sh}; speed is measured and written to a file here, never asserted by a test.
 *
 * <p>Threats: none from outside (nothing here listens or reads untrusted input); the one guarded against is a
 * misleading figure, so fixtures are built in {@code @Setup} methods, outside what is measured, and the benchmark methods return their
 * results for JMH to consume.
 */
package org.dialtone.bench.jmh;
