package org.dialtone.bench.capacity;

/** A running target: where it listens and what it has spent so far. */
interface TargetHandle extends AutoCloseable {
  /** The UDP port the target listens on, on 127.0.0.1. */
  int port();

  /** The target's counters now (or as last reported). */
  TargetStats stats();
}
