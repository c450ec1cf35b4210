package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.Keys;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.node.runner.NodeRunner;
import org.dialtone.node.runner.NodeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node restarted from its data directory keeps its id, its contacts and the records it held. */
class NodeRestartTest {
  @TempDir Path data;
  private LocalTestnet net;
  private NodeRunner runner;

  @BeforeEach
  void network() {
    net = LocalTestnet.start(4);
  }

  @AfterEach
  void shutdown() {
    try {
      if (runner != null) {
        runner.close();
      }
    } finally {
      net.close();
    }
  }

  private NodeRunner start(List<org.dialtone.dht.net.PeerAddress> seeds) throws Exception {
    return NodeRunner.start(new NodeSettings("127.0.0.1", 0, -1, data, seeds, Optional.empty(),
        Duration.ofSeconds(1)), net.vertx());
  }

  @Test
  void keepsIdContactsAndRecordsAcrossARestart() throws Exception {
    runner = start(net.seeds());
    runner.node().ready().get(20, TimeUnit.SECONDS);
    NodeId id = runner.node().id();
    Identity publisher = Identity.generate();
    NodeId key = Keys.contentKey("number", "744-196884-23");
    SignedRecord record = SignedRecord.sign(publisher, key, 1, 1, System.currentTimeMillis() / 1000 + 600,
        "hello".getBytes());
    net.node(1).put(record).get(20, TimeUnit.SECONDS); // 5 nodes: every one of them stores it
    assertTrue(runner.node().storedRecords().get(5, TimeUnit.SECONDS).contains(record));
    List<Contact> contactsBefore = runner.node().contacts().get(5, TimeUnit.SECONDS);
    assertFalse(contactsBefore.isEmpty());
    runner.flush();
    runner.close();
    runner = null;
    assertTrue(Files.exists(data.resolve("node.key")));
    assertTrue(Files.exists(data.resolve("contacts.bin")));
    assertTrue(Files.exists(data.resolve("records.cbor")));

    runner = start(List.of()); // no --bootstrap: it rejoins through its saved contacts
    assertEquals(id, runner.node().id());
    assertTrue(runner.node().storedRecords().get(5, TimeUnit.SECONDS).contains(record), "record reloaded");
    List<NodeId> contactsAfter = runner.node().contacts().get(5, TimeUnit.SECONDS).stream().map(Contact::id).toList();
    assertTrue(contactsBefore.stream().map(Contact::id).allMatch(contactsAfter::contains), "contacts reloaded");
    runner.node().ready().get(20, TimeUnit.SECONDS);
  }

  @Test
  void flushesOnItsOwnWithinTheInterval() throws Exception {
    runner = start(net.seeds());
    runner.node().ready().get(20, TimeUnit.SECONDS);
    SignedRecord record = SignedRecord.sign(Identity.generate(), Keys.contentKey("number", "744-196884-29"), 1, 1,
        System.currentTimeMillis() / 1000 + 600, "x".getBytes());
    net.node(2).put(record).get(20, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    boolean onDisk = false;
    while (!onDisk && System.nanoTime() < deadline) {
      Thread.sleep(200);
      onDisk = Files.exists(data.resolve("records.cbor"))
          && org.dialtone.node.state.StateCodec.decodeRecords(Files.readAllBytes(data.resolve("records.cbor")))
              .contains(record);
    }
    assertTrue(onDisk, "the record was not flushed within the 1 s interval (+ slack)");
  }
}
