package org.dialtone.bench.jmh;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.PutOutcome;
import org.dialtone.dht.record.RecordStore;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.record.StoreLimits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The record store holding {@code records} records (10^5 by default; 64 publishers, one record per key). {@code get}
 * reads a stored key. {@code put} stores {@value #BATCH} new records into a store that holds {@code records} at the
 * start of each iteration (rebuilt before every iteration; records are signed once in setup, and a signed record
 * carries its verified flag, so neither signing nor verification is measured: {@link CryptoBenchmark} has those).
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RecordStoreBenchmark {
  public static final int BATCH = 16384;

  @Param({"100000"})
  public int records;

  SignedRecord[] base;
  SignedRecord[] fresh;
  NodeId self;
  RecordStore store;
  NodeId[] keys;
  long now;
  int next;

  @Setup(Level.Trial)
  public void sign() {
    Random r = new Random(3);
    Identity[] publishers = new Identity[64];
    for (int i = 0; i < publishers.length; i++) {
      publishers[i] = Identity.generate(r);
    }
    now = 1_900_000_000_000L;
    long expiry = now / 1000 + 3600;
    base = new SignedRecord[records];
    keys = new NodeId[records];
    for (int i = 0; i < records; i++) {
      keys[i] = NodeId.random(r);
      base[i] = SignedRecord.sign(publishers[i & 63], keys[i], 1, 1, expiry + i % 600, new byte[32]);
    }
    fresh = new SignedRecord[BATCH];
    for (int i = 0; i < BATCH; i++) {
      fresh[i] = SignedRecord.sign(publishers[i & 63], NodeId.random(r), 1, 1, expiry + i % 600, new byte[32]);
    }
    self = NodeId.random(r);
  }

  @Setup(Level.Iteration)
  public void fill() {
    store = new RecordStore(self, new StoreLimits(256, records + BATCH, 86_400));
    for (SignedRecord rec : base) {
      store.put(rec, now);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OperationsPerInvocation(BATCH)
  public int put() {
    int stored = 0;
    for (SignedRecord rec : fresh) {
      if (store.put(rec, now) instanceof PutOutcome.Stored) {
        stored++;
      }
    }
    return stored;
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  public List<SignedRecord> get() {
    return store.get(keys[next++ % keys.length], now);
  }
}
