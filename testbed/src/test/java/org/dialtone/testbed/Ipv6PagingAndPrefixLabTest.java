package org.dialtone.testbed;

import static org.dialtone.testbed.LabHost.hostPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;
import org.dialtone.dht.wire.RequestPadding;
import org.junit.jupiter.api.Test;

/**
 * IPv6 in the lab, against running nodes: a node with 20 IPv6 contacts pages its FIND_NODE answers to an unproven
 * requester (each page within three times the request, the pages together the 20, none twice); and a node keeps its
 * per-/48 limits when twelve nodes from one /48 (three hosts, three /64s) join it, while nodes of other /48s all get
 * in. Bare DHT nodes ({@link LabNodes}), twenty to a process, keep this affordable on two cores.
 */
class Ipv6PagingAndPrefixLabTest {
  private static final Duration READY = Duration.ofSeconds(150);
  private static final Map<DatagramSocket, long[]> TRAFFIC = new java.util.IdentityHashMap<>();

  @Test
  void findNodeWithTwentyIpv6ContactsIsPagedWithinThreeTimesTheRequest() throws Exception {
    Testbeds.requireNetns();
    LabSpec spec = LabSpec.builder().links(LinkSpec.delay(5, 1)).seed(17).ipv6Hosts("target", "many", "probe").build();
    try (Lab lab = Lab.start(spec, Path.of("target/testbed/ipv6-paging"))) {
      LabHost target = lab.host("target");
      LabProcess t = LabNodes.start(target, "target", 7440, 1, false, "");
      t.awaitOutput("lab-nodes ready", READY);
      LabProcess many = LabNodes.start(lab.host("many"), "many", 7441, 20, false, hostPort(target.address(), 7440));
      many.awaitOutput("lab-nodes ready", READY);
      PeerAddress to = PeerAddress.parse(hostPort(target.address(), 7440));
      NodeId lookFor = NodeId.random(new java.util.Random(17));
      try (DatagramSocket waiting = lab.host("probe").udpSocket(0);
          DatagramSocket socket = lab.host("probe").udpSocket(0)) {
        // The target admits its contacts as they prove their keys: ask until it knows all twenty. Then read the
        // pages from a fresh socket: a new unproven address, with no allowance saved up from the waiting.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (readPages(waiting, to, lookFor).get(0).total() < 20 && System.nanoTime() < deadline) {
          LabHost.sleepBriefly();
        }
        List<Message.Nodes> pages = readPages(socket, to, lookFor);
        assertEquals(20, pages.get(0).total(), "the target knows the 20 IPv6 contacts");
        List<NodeInfo> all = new ArrayList<>();
        pages.forEach(p -> all.addAll(p.nodes()));
        assertEquals(20, all.size(), "the pages together hold the 20");
        assertEquals(20, new HashSet<>(all).size(), "none twice");
        assertTrue(pages.size() > 1, "an unproven requester's pages are short: " + pages.size());
        assertTrue(all.stream().allMatch(n -> !n.address().isIpv4() && n.address().host().startsWith("fd77:")),
            "IPv6 contacts: " + all);
        for (int i = 1; i < all.size(); i++) {
          assertTrue(lookFor.compareDistance(all.get(i - 1).id(), all.get(i).id()) < 0, "nearest first");
        }
        Results.record("ipv6-paging", "FIND_NODE with 20 IPv6 contacts to an unproven requester (200-byte "
            + "requests): " + pages.size() + " pages of " + pages.stream().map(p -> p.nodes().size()).toList());
      }
    }
  }

  @Test
  void twelveNodesOfOneSlash48DoNotFillARunningNodesTable() throws Exception {
    Testbeds.requireNetns();
    LabSpec spec = LabSpec.builder().links(LinkSpec.delay(5, 1)).seed(18)
        .ipv6Hosts("target", "honest1", "honest2", "probe").ipv6Site(7, "site1", "site2", "site3").build();
    try (Lab lab = Lab.start(spec, Path.of("target/testbed/ipv6-prefix"))) {
      LabHost target = lab.host("target");
      LabProcess t = LabNodes.start(target, "target", 7440, 1, true, "");
      t.awaitOutput("lab-nodes ready", READY);
      NodeId targetId = idIn(t.output());
      String seed = hostPort(target.address(), 7440);
      List<LabProcess> joiners = new ArrayList<>();
      for (String h : List.of("site1", "site2", "site3")) {
        joiners.add(LabNodes.start(lab.host(h), h, 7441, 4, false, seed));
      }
      for (String h : List.of("honest1", "honest2")) {
        joiners.add(LabNodes.start(lab.host(h), h, 7441, 2, false, seed));
      }
      for (LabProcess j : joiners) {
        j.awaitOutput("lab-nodes ready", READY);
      }
      assertTrue(lab.host("site1").address().startsWith("fd77:7:") && lab.host("site3").address().startsWith("fd77:7:"),
          "one /48: " + lab.host("site1").address() + ", " + lab.host("site3").address());
      PeerAddress to = PeerAddress.parse(seed);
      try (DatagramSocket socket = lab.host("probe").udpSocket(0)) {
        // Every honest node (own /48s, two per /48) gets in; wait for them, then read the whole table.
        List<NodeInfo> table = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
          table = new ArrayList<>();
          for (Message.Nodes p : readPages(socket, to, targetId)) {
            table.addAll(p.nodes());
          }
          if (table.stream().filter(n -> n.address().host().startsWith("fd77:1")).count() == 4) {
            break;
          }
          LabHost.sleepBriefly();
        }
        List<NodeInfo> fromSite = table.stream().filter(n -> n.address().host().startsWith("fd77:7:")).toList();
        long honest = table.stream().filter(n -> n.address().host().startsWith("fd77:1")).count();
        assertEquals(4, honest, "every node of the other /48s is in the table: " + table);
        Map<Integer, Integer> perBucket = new HashMap<>();
        for (NodeInfo n : fromSite) {
          perBucket.merge(Math.min(targetId.commonPrefixLength(n.id()), 255), 1, Integer::sum);
        }
        assertTrue(fromSite.size() <= 10, "at most 10 of one /48 in the table: " + fromSite.size());
        assertTrue(perBucket.values().stream().allMatch(c -> c <= 2), "at most 2 of one /48 per bucket: " + perBucket);
        assertTrue(fromSite.size() < 12, "the /48's twelve nodes did not all get in: " + fromSite.size());
        Results.record("ipv6-prefix", "12 nodes of one /48 (3 hosts, 3 /64s) joining a running node: " + fromSite.size()
            + " admitted, per bucket " + perBucket + "; 4 of 4 nodes of other /48s admitted");
      }
    }
  }

  private static NodeId idIn(String output) {
    Matcher m = Pattern.compile("lab-node \\S+ ([0-9a-f]{64})").matcher(output);
    assertTrue(m.find(), "no node id in " + output);
    return NodeId.ofHex(m.group(1));
  }

  // FIND_NODE page after page, as an unproven requester: 200-byte requests with a challenge, PINGs never answered.
  // The 3x bound holds over an address's whole history (what the node saved up from short answers it may spend
  // later), so it is checked on everything a socket sent and received.
  private static List<Message.Nodes> readPages(DatagramSocket socket, PeerAddress to, NodeId lookFor)
      throws Exception {
    List<Message.Nodes> pages = new ArrayList<>();
    long sent = 0;
    long received = 0;
    int offset = 0;
    long tx = new java.security.SecureRandom().nextLong();
    socket.setSoTimeout(5000);
    while (pages.size() < 21) {
      long id = tx++;
      byte[] ask = RequestPadding.pad(MessageCodec.encode(new Message.FindNode(id, Optional.empty(),
          Optional.of(Blob.of(new byte[Message.CHALLENGE_BYTES])), lookFor, offset)), 200);
      socket.send(new DatagramPacket(ask, ask.length, InetAddress.getByName(to.host()), to.port()));
      sent += ask.length;
      Message.Nodes page = null;
      byte[] buf = new byte[2048];
      while (page == null) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p); // SocketTimeoutException at 5 s: the test fails
        received += p.getLength();
        Message m = MessageCodec.decode(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        if (m instanceof Message.Nodes n && n.txId() == id) {
          page = n;
        }
      }
      assertEquals(offset, page.offset());
      pages.add(page);
      if (!page.hasMore()) {
        long[] total = TRAFFIC.computeIfAbsent(socket, k -> new long[2]);
        total[0] += sent;
        total[1] += received;
        assertTrue(total[1] <= 3 * total[0], "received " + total[1] + " bytes for " + total[0] + " sent, in all");
        return pages;
      }
      assertTrue(!page.nodes().isEmpty(), "a page that says there is more holds a contact");
      offset += page.nodes().size();
    }
    throw new AssertionError("more than 20 pages");
  }
}
