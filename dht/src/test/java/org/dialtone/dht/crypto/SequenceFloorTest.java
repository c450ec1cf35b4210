package org.dialtone.dht.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.testkit.SimulatedCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9, item 14: a publisher restarted with a clock an hour behind still renews its records. */
class SequenceFloorTest {
  @TempDir
  Path dir;

  @Test
  void aClockThatSteppedBackDoesNotLockThePublisherOut() throws IOException {
    SimulatedCluster cluster = new SimulatedCluster(11, DhtConfig.defaults());
    DhtNode seed = cluster.addNode();
    cluster.await(seed.bootstrap(List.of()), 1000);
    cluster.join(15, List.of(seed.address()), 8, null);
    DhtNode node = cluster.nodes().get(3);
    Identity publisher = Identity.generate(cluster.random());
    NodeId key = NodeId.random(cluster.random());
    long now = cluster.scheduler().clock().epochMillis();
    Path file = dir.resolve("agent.seq");

    SequenceFloor first = SequenceFloor.open(file);
    long seq1 = first.next(now);
    cluster.await(node.put(SignedRecord.sign(publisher, key, 1, seq1, now / 1000 + 600, new byte[] {1})), 60_000);

    // The process restarts; its clock now reads an hour earlier.
    long behind = now - 3_600_000;
    CompletionException locked = assertThrows(CompletionException.class, () -> cluster.await(node.put(
        SignedRecord.sign(publisher, key, 1, behind, behind / 1000 + 4200, new byte[] {2})), 60_000));
    assertEquals(ErrorCode.NOT_STORED, assertInstanceOf(DhtException.class, locked.getCause()).code(),
        "without the floor: every node refuses the lower sequence");
    long seq2 = SequenceFloor.open(file).next(behind);
    assertTrue(seq2 > seq1, seq2 + " > " + seq1);
    cluster.await(node.put(SignedRecord.sign(publisher, key, 1, seq2, behind / 1000 + 4200, new byte[] {3})),
        60_000);
    List<SignedRecord> got = cluster.await(node.get(key), 60_000).records();
    assertEquals(seq2, got.get(0).seq(), "the renewal replaced the old record");
  }

  @Test
  void theFileIsWrittenOnlyWhenTheReserveRunsOutAndADamagedOneIsRefused() throws IOException {
    Path file = dir.resolve("agent.seq");
    SequenceFloor f = SequenceFloor.open(file);
    long t = 1_800_000_000_000L;
    assertEquals(t, f.next(t));
    String mark = Files.readString(file).strip();
    assertEquals(t + SequenceFloor.RESERVE_MILLIS, Long.parseLong(mark));
    for (int i = 1; i < 100; i++) {
      f.next(t + i * 1000L);
    }
    assertEquals(mark, Files.readString(file).strip(), "within the reserve: no write");
    Files.writeString(file, "garbage");
    assertTrue(assertThrows(IOException.class, () -> SequenceFloor.open(file)).getMessage().contains("agent.seq"));
  }
}
