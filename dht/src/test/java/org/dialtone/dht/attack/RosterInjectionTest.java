package org.dialtone.dht.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.DhtNodes;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.rpc.Rpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Attack 9 of issue 9 on real UDP: contacts taken from self-signed HOST records on 744-196884-0 (anyone can publish
 * one, naming any key at any {@code udp://} endpoint) must prove their key at that endpoint before they enter a
 * bootstrap node's table, from where every joiner would be served them.
 */
class RosterInjectionTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<AutoCloseable> closeMe = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeMe) {
      c.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private DhtNode node(String ip) throws Exception {
    DhtConfig config = DhtConfig.builder().rpc(new Rpc.Config(200, 100, 400, 1, 4096)).build();
    DhtNode n = DhtNodes.startUdp(vertx, config, Identity.generate(), ip, 0).get(10, TimeUnit.SECONDS);
    closeMe.add(n);
    n.bootstrap(List.of()).get(10, TimeUnit.SECONDS);
    return n;
  }

  @Test
  void rosterContactsEnterTheTableOnlyAfterProvingTheirKeyThere() throws Exception {
    DhtNode bootstrapNode = node("127.0.0.1");
    DhtNode honest = node("127.0.1.1");
    // An endpoint that answers, but with its own key, not the one the record claims (a victim's or a Sybil's).
    RawPeer impostor = new RawPeer("127.0.2.1", Identity.generate(), true);
    // An endpoint that never answers: any address an attacker wants joiners to be sent to.
    RawPeer silent = new RawPeer("127.0.3.1", Identity.generate(), false);
    closeMe.add(impostor);
    closeMe.add(silent);
    Identity claimedByImpostor = Identity.generate();
    Identity claimedAtSilent = Identity.generate();
    List<Contact> roster = List.of(
        Contact.of(honest.publicKey(), honest.address()),
        Contact.of(claimedByImpostor.publicKey(), impostor.address()),
        Contact.of(claimedAtSilent.publicKey(), silent.address()),
        Contact.of(honest.publicKey(), silent.address())); // a real key at the wrong address

    int admitted = bootstrapNode.verifyContacts(roster).get(30, TimeUnit.SECONDS);

    List<Contact> table = bootstrapNode.contacts().get(10, TimeUnit.SECONDS);
    assertEquals(1, admitted);
    assertTrue(table.contains(Contact.of(honest.publicKey(), honest.address())), "the honest host proved its key");
    for (Contact c : table) {
      assertFalse(c.address().equals(impostor.address()) || c.address().equals(silent.address()),
          "an unproven contact entered the table: " + c);
    }
  }
}
