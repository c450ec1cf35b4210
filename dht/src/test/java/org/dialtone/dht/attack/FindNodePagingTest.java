package org.dialtone.dht.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.DhtNodes;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.node.NodeContext;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * FIND_NODE paging over real UDP on {@code ::1}: a node with 20 IPv6 contacts answers a requester page by page, and
 * the pages together are its 20 closest contacts to the target, none twice. An unproven requester (it never answers
 * the node's PINGs, as a forged source would not) gets short pages, and never more than three times the bytes it sent.
 */
class FindNodePagingTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<AutoCloseable> closeMe = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeMe) {
      c.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private DhtNode node(List<PeerAddress> seeds) throws Exception {
    DhtNode node = DhtNodes.startUdp(vertx, DhtConfig.defaults(), Identity.generate(), "::1", 0)
        .get(10, TimeUnit.SECONDS);
    closeMe.add(node);
    node.bootstrap(seeds).get(30, TimeUnit.SECONDS);
    return node;
  }

  @Test
  void twentyIpv6ContactsArePagedNotTruncatedAndEachPageStaysWithinThreeTimesTheRequest() throws Exception {
    DhtNode target = node(List.of());
    for (int i = 0; i < 22; i++) {
      node(List.of(target.address()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (target.contacts().get().size() < 22 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // polls the condition, with a deadline
    }
    List<Contact> table = target.contacts().get();
    assertEquals(22, table.size(), "the node knows its 22 IPv6 contacts: " + table.size());
    NodeId lookFor = NodeId.random(new Random(15));
    List<NodeInfo> closest = table.stream()
        .sorted(Comparator.comparing(Contact::id, (a, b) -> lookFor.compareDistance(a, b)))
        .limit(20).map(c -> new NodeInfo(c.id(), c.address())).toList();

    // A proven requester with padded requests: 20 IPv6 contacts and a proof just fit one datagram (1,229 bytes with a
    // full-width transaction id and 5-digit ports).
    RawPeer proven = peer(true);
    proven.request(target.address(), new Message.Ping(1, Optional.empty(), Optional.empty()), 5000);
    List<Message.Nodes> full = readAllPages(proven, target.address(), lookFor, NodeContext.FULL_REPLY_REQUEST_BYTES);
    assertEquals(closest, contactsOf(full), "the pages together are the 20 closest, in order");
    assertEquals(1, full.size(), "20 IPv6 contacts with a proof fit one full datagram");
    System.out.printf("FIND_NODE paging: 20 IPv6 contacts with a proof: %d bytes to a proven requester%n",
        MessageCodec.encodedSize(full.get(0)));

    // An unproven requester whose requests are padded to 200 bytes: shorter pages, within 3x of what it sent.
    RawPeer silent = peer(false);
    List<Message.Nodes> short_ = readAllPages(silent, target.address(), lookFor, 200);
    assertEquals(closest, contactsOf(short_), "the short pages together are the same 20, in order");
    assertTrue(short_.size() > full.size(), "an unproven requester gets shorter pages: " + short_.size());
    System.out.printf("FIND_NODE paging: to an unproven requester (200-byte requests): %d pages of %s contacts%n",
        short_.size(), short_.stream().map(p -> p.nodes().size()).toList());
    assertTrue(silent.bytesIn() <= 3 * silent.bytesOut(),
        "sent " + silent.bytesIn() + " bytes to an unproven address that sent " + silent.bytesOut());
  }

  private RawPeer peer(boolean answersPings) {
    RawPeer p = new RawPeer("::1", Identity.generate(), answersPings);
    closeMe.add(p);
    return p;
  }

  // Asks for page after page (with a challenge, so each page carries a proof) until the node says there is no more.
  private static List<Message.Nodes> readAllPages(RawPeer peer, PeerAddress to, NodeId lookFor, int padTo) {
    List<Message.Nodes> pages = new ArrayList<>();
    int offset = 0;
    long tx = 0x5a5a5a5a5a5a5a5aL; // a full-width transaction id, as nodes draw them (9 bytes on the wire)
    while (pages.size() < 21) {
      Message.FindNode ask = new Message.FindNode(tx++, Optional.empty(),
          Optional.of(Blob.of(new byte[Message.CHALLENGE_BYTES])), lookFor, offset);
      Message.Response reply = peer.request(to, ask, 5000, padTo).orElseThrow(
          () -> new AssertionError("no reply to the page at " + pages.size()));
      Message.Nodes page = (Message.Nodes) reply;
      assertTrue(MessageCodec.encodedSize(page) <= Message.MAX_DATAGRAM_BYTES);
      assertEquals(offset, page.offset());
      assertEquals(20, page.total(), "total: the 20 closest");
      pages.add(page);
      if (!page.hasMore()) {
        return pages;
      }
      assertTrue(!page.nodes().isEmpty(), "a page that says there is more holds a contact");
      offset += page.nodes().size();
    }
    throw new AssertionError("more than 20 pages");
  }

  private static List<NodeInfo> contactsOf(List<Message.Nodes> pages) {
    List<NodeInfo> all = new ArrayList<>();
    pages.forEach(p -> all.addAll(p.nodes()));
    assertEquals(all.size(), new HashSet<>(all).size(), "no contact twice");
    return all;
  }
}
