package org.dialtone.node.lan;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** One live counter per constant of {@code E}, written on the discovery thread and readable from any thread. */
abstract class EnumCounters<E extends Enum<E>> {
  private final Class<E> type;
  private final AtomicLongArray values;

  EnumCounters(Class<E> type) {
    this.type = type;
    this.values = new AtomicLongArray(type.getEnumConstants().length);
  }

  void inc(E c) {
    values.incrementAndGet(c.ordinal());
  }

  void add(E c, long n) {
    values.addAndGet(c.ordinal(), n);
  }

  /** The current value. */
  public long get(E c) {
    return values.get(c.ordinal());
  }

  /** Every counter's value. */
  public Map<E, Long> snapshot() {
    Map<E, Long> out = new EnumMap<>(type);
    for (E c : type.getEnumConstants()) {
      out.put(c, get(c));
    }
    return out;
  }
}
