package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two people at the web pages of two different nodes, in headless Chromium on two lab hosts, one behind a cone NAT:
 * Alice's page is served by {@code boot}, Bob's by {@code boot2}; both dial the same number and join it, each sees the
 * other on the roster, the one behind the NAT opens a chat, a WebRTC data channel whose offer and answer are signals
 * the browsers signed, posted to their own node ({@code POST /signals}) and forwarded between the two nodes as DHT
 * SIGNAL messages to the node the recipient's directory record names, where it holds its inbox
 * ({@code WS /signals/{key}}); ICE through each node's own STUN server; hello goes both ways, then a burst of messages
 * and more channels for the figures (offer to open, messages a second, page weight). Lines 10 ms one way.
 */
class WebRtcAcrossNatTest {
  private static final Duration STEP = Duration.ofSeconds(120);
  private static final String NUMBER = "744-196884-24";

  /** Chromium's scratch files, in a short path of their own (a lab's directory can be too deep for its socket). */
  @TempDir
  Path scratch;

  @Test
  void twoBrowsersOneBehindANatChatOverADataChannelSignaledThroughTheNode() throws Exception {
    Testbeds.requireNetns();
    if (!Files.isExecutable(BrowserPeer.CHROMIUM) || !Files.isExecutable(BrowserPeer.CHROMEDRIVER)) {
      fail("the WebRTC lab test needs Debian's chromium and chromium-driver (" + BrowserPeer.CHROMIUM + ", "
          + BrowserPeer.CHROMEDRIVER + "): scripts/install-test-deps.sh installs them");
    }
    LabSpec spec = LabSpec.builder().links(LinkSpec.delay(10, 0)).seed(24)
        .publicHosts("boot", "boot2", "bob")
        .router("home", NatType.CONE).lanHost("alice", "home")
        .build();
    try (Lab lab = Lab.start(spec, Path.of("target/testbed/webrtc"))) {
      long t0 = System.nanoTime();
      LabHost boot = lab.host("boot");
      LabProcess node = boot.startNode("node", 7440, 8440, List.of());
      LabHost boot2 = lab.host("boot2");
      String url = "http://" + boot.address() + ":8440";
      String url2 = "http://" + boot2.address() + ":8440";
      // the browsers start while the nodes do (each waits for its node's /health before it loads the page); Bob's
      // page is the second node's, so every signal between the two crosses from one node to the other
      LabProcess bob = BrowserPeer.start(lab.host("bob"), "callee", url2, NUMBER, "Bob", "Alice", scratch);
      LabProcess alice = BrowserPeer.start(lab.host("alice"), "caller", url, NUMBER, "Alice", "Bob", scratch);
      node.awaitReady(Cluster.READY);
      LabProcess node2 = boot2.startNode("node", 7440, 8440, List.of(boot.address() + ":7440"))
          .awaitReady(Cluster.READY);
      awaitLine(alice, "peer done", bob);
      bob.awaitOutput("peer heard 'Alice: hello from Alice'", STEP);
      bob.awaitOutput("peer burst arriving", STEP);
      String a = alice.output();
      String b = bob.output();
      assertTrue(a.contains("peer heard 'Bob: hello from Bob'"), a);
      assertTrue(a.contains("peer channel open: Connected to Bob in"), a);
      assertTrue(b.contains("peer channel open: Alice connected to you."), b);

      BrowserPeer.ChannelFigures channels = BrowserPeer.ChannelFigures.of(a);
      Matcher burst = Pattern.compile("peer burst burst-got \\d+ \\d+ (\\d+)").matcher(a); // the sender's time too
      assertTrue(burst.find(), a);
      Matcher weight = Pattern.compile("peer page weight (\\d+) (\\d+)").matcher(a);
      assertTrue(weight.find(), a);
      Matcher roster = Pattern.compile("peer roster shows Bob (\\d+) ms").matcher(a);
      assertTrue(roster.find(), a);
      assertTrue(a.contains("peer refused signals {}"), "Alice refused none of the node's signals: " + a);
      Matcher ice = Pattern.compile("peer ice gathered ([a-z,]+); pair (.*)").matcher(a);
      assertTrue(ice.find(), a);
      // behind the NAT the browser learnt its mapping from the node's STUN server (a server-reflexive candidate)
      assertTrue(ice.group(1).contains("srflx"), "no mapping from the node's STUN: " + ice.group(0));

      // every signal crossed between the nodes, none was refused: each node forwarded its page's signals (Alice's
      // REQUESTs from boot, Bob's ANSWERs from boot2) and delivered the other node's to its page's inbox
      int exchanges = 1 + BrowserPeer.EXTRA_CONNECTIONS;
      for (LabHost h : List.of(boot, boot2)) {
        String metrics = h.httpGet(h.address(), 8440, "/metrics", Duration.ofSeconds(10)).body();
        assertEquals(exchanges, BrowserPeer.metricValue(metrics, "dialtone_gateway_signals_total", "forwarded"), h.name() + metrics);
        assertEquals(exchanges, BrowserPeer.metricValue(metrics, "dialtone_node_signals_total", "delivered"), h.name() + metrics);
        assertEquals(0.0, BrowserPeer.metricValue(metrics, "dialtone_gateway_signals_total", "delivered"), h.name() + metrics);
      }
      Metrics.save(lab, List.of(node, node2), 8440);
      Results.record("webrtc", String.format("two Chromium pages (one behind a cone NAT; lines 10 ms one way), "
          + "signals forwarded between two nodes, ICE with the nodes' STUN (the NATed side's pair %s): offer to open data channel median %d ms (%d "
          + "channels: %s ms); %d messages of 110 bytes at %.0f a second (receiver's clock, %s ms first to last; "
          + "sender to answer %s ms); page weight on first load %s bytes (HTML, JS, CSS), %s with the API answers; "
          + "roster shows the other %s ms after load began; whole test %.0f s", ice.group(2),
          channels.medianOpenMillis(), channels.openMillis().size(), channels.openMillis(), BrowserPeer.BURST,
          channels.burstPerSecond(), channels.burstMillis(), burst.group(1), weight.group(1),
          weight.group(2), roster.group(1), (System.nanoTime() - t0) / 1e9));
    }
  }

  /** Waits for {@code line} from {@code p}; fails at once, with both logs, when either peer reports a failure. */
  private static void awaitLine(LabProcess p, String line, LabProcess other) {
    BrowserPeer.awaitMatch(p, Pattern.compile(Pattern.quote(line)), other, STEP);
  }
}
