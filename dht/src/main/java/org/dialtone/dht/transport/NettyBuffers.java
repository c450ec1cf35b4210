package org.dialtone.dht.transport;

/**
 * Which buffer allocator Netty uses under Vert.x in a node process. Netty 4.2's default, the adaptive allocator, made
 * one node's answers to FIND_NODE cost about three times the CPU of the pooled allocator on this project's UDP path
 * (`benchmarks/run-capacity.sh`, one node pinned to one core: 71 against 20 microseconds a request, 10,000 against
 * 40,000 requests a second served within p99 10 ms); the pooled allocator is Netty 4.1's default and Vert.x's long
 * practice. Set before the first Vert.x instance, as it is read once, when Netty first allocates.
 */
public final class NettyBuffers {
  /** Netty's system property for its default allocator. */
  public static final String PROPERTY = "io.netty.allocator.type";

  private NettyBuffers() {}

  /**
   * Chooses the pooled allocator unless {@code -Dio.netty.allocator.type} says otherwise; call first thing in
   * {@code main}, before any Vert.x instance exists. Returns the allocator type in effect from then on.
   */
  public static String preferPooled() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "pooled");
    }
    return System.getProperty(PROPERTY);
  }
}
