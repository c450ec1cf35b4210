package org.dialtone.node.lan;

import org.dialtone.dht.time.Clock;

/** A clock that moves only when told. */
final class ManualClock implements Clock {
  private long nanos = 1_000_000_000L;

  @Override
  public long epochMillis() {
    return 1_700_000_000_000L + nanos / 1_000_000L;
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  void advanceMillis(long ms) {
    nanos += ms * 1_000_000L;
  }
}
