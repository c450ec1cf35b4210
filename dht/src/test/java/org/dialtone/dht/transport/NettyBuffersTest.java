package org.dialtone.dht.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The node's allocator choice: pooled unless the operator chose, and the operator's choice is kept. */
class NettyBuffersTest {
  @Test
  void pooledUnlessChosenOtherwise() {
    String before = System.getProperty(NettyBuffers.PROPERTY);
    try {
      System.clearProperty(NettyBuffers.PROPERTY);
      assertEquals("pooled", NettyBuffers.preferPooled());
      System.setProperty(NettyBuffers.PROPERTY, "adaptive");
      assertEquals("adaptive", NettyBuffers.preferPooled(), "an explicit -Dio.netty.allocator.type wins");
    } finally {
      if (before == null) {
        System.clearProperty(NettyBuffers.PROPERTY);
      } else {
        System.setProperty(NettyBuffers.PROPERTY, before);
      }
    }
  }
}
