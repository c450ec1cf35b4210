package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dialtone.agent.reach.signal.Nonce128;
import org.dialtone.agent.reach.signal.Refusal;
import org.dialtone.agent.reach.signal.SignalBody;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalKind;
import org.dialtone.agent.reach.signal.SignalTransport;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.agent.webrtc.rtc.RtcEngine;
import org.dialtone.agent.webrtc.rtc.WebRtcUnavailableException;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.testbed.linux.Netns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person at a node's web page and a Java agent chat: headless Chromium behind a cone NAT, at the second node's
 * page, and {@code dialtone join NUMBER --browsers http://NODE} (webrtc-java) on a public lab host, its inbox on the
 * first node, on the same number. The page sees the Java agent on its roster and opens a chat: a WebRTC data channel
 * whose offer and answer travel as signed signals between the two nodes (the first node found from the Java agent's
 * directory record, which names it); hello goes both ways, then the Java agent sends a burst of lines that the page counts
 * on its clock, and the page opens more channels for the time from offer to open. The Java agent also calls a second
 * page, Bob's on a public host ({@code --call-browser}), which hears the same hello and burst. Before that, someone on a third
 * host posts signals for the Java agent that the node passes on (an answer to a call it never made, the same again,
 * a signal of another transport) and one that the node refuses (signed by a key other than its sender's): the Java
 * agent refuses and counts each one it receives, and the chat still works. Lines 10 ms one way.
 */
class BrowserJavaChatTest {
  private static final Duration STEP = Duration.ofSeconds(120);
  private static final String NUMBER = "744-196884-25";
  private static final Pattern JOINED = Pattern.compile("joined \\S+ as \\S+ \\(([0-9a-f]{64})\\)");

  @TempDir
  Path scratch;

  @Test
  void aBrowserBehindANatAndAJavaAgentChatOverWebRtcSignaledThroughTheNode() throws Exception {
    Testbeds.requireNetns();
    if (!Files.isExecutable(BrowserPeer.CHROMIUM) || !Files.isExecutable(BrowserPeer.CHROMEDRIVER)) {
      fail("the browser-Java lab test needs Debian's chromium and chromium-driver (" + BrowserPeer.CHROMIUM + ", "
          + BrowserPeer.CHROMEDRIVER + "): scripts/install-test-deps.sh installs them");
    }
    try (RtcEngine engine = RtcEngine.start()) {
      // libwebrtc loads in this JVM, so it will in the Java agent's
    } catch (WebRtcUnavailableException e) {
      fail(e.getMessage());
    }
    LabSpec spec = LabSpec.builder().links(LinkSpec.delay(10, 0)).seed(25)
        .publicHosts("boot", "boot2", "jay", "bob", "mallory")
        .router("home", NatType.CONE).lanHost("alice", "home")
        .build();
    try (Lab lab = Lab.start(spec, Path.of("target/testbed/browser-java"))) {
      long t0 = System.nanoTime();
      LabHost boot = lab.host("boot");
      LabProcess node = boot.startNode("node", 7440, 8440, List.of());
      String url = "http://" + boot.address() + ":8440";
      LabProcess bob = BrowserPeer.start(lab.host("bob"), "callee", url, NUMBER, "Bob", "Jay", scratch);
      node.awaitReady(Cluster.READY);
      String seed = boot.address() + ":7440";
      LabProcess node2 = lab.host("boot2").startNode("node", 7440, 8440, List.of(seed)).awaitReady(Cluster.READY);
      // Alice's page is on the second node: her calls to the Java agent cross between the nodes, found through the
      // Java agent's directory record, which names the node holding its inbox
      String url2 = "http://" + lab.host("boot2").address() + ":8440";
      LabProcess alice = BrowserPeer.start(lab.host("alice"), "java-caller", url2, NUMBER, "Alice", "Jay", scratch);

      // Bob's page is on the number first: the Java agent calls it (Alice's page calls the Java agent)
      awaitLine(bob, "peer joined as Bob", alice);
      String bobKey = rosterKey(boot, "Bob");
      // The Java agent says what the test types into its standard input.
      LabProcess jay = lab.host("jay").start("join", List.of("join", NUMBER, "--as", "jay", "--name", "Jay",
          "--browsers", url, "--call-browser", bobKey, "--for", "900", "--timeout", "60", "--bootstrap", seed));
      awaitLine(jay, "browsers can chat with it at " + url, alice);
      Matcher joined = JOINED.matcher(jay.output());
      assertTrue(joined.find(), jay.output());
      PublicKey jayKey = PublicKey.ofHex(joined.group(1));

      // Bad input: signals for the Java agent from someone else, through the same node.
      LabHost mallory = lab.host("mallory");
      Random random = new Random(25);
      Identity mal = Identity.generate(random);
      Identity victim = Identity.generate(random);
      byte[] strayAnswer = signal(mal, mal, jayKey, SignalKind.ANSWER, SignalTransport.WEBRTC, random);
      assertEquals(202, post(mallory, boot.address(), 8440, strayAnswer), "the node passes on a signed signal");
      assertEquals(202, post(mallory, boot.address(), 8440, strayAnswer), "the node does not track replays");
      assertEquals(202, post(mallory, boot.address(), 8440,
          signal(mal, mal, jayKey, SignalKind.REQUEST, SignalTransport.QUIC, random)));
      assertEquals(403, post(mallory, boot.address(), 8440,
          signal(mal, victim, jayKey, SignalKind.REQUEST, SignalTransport.WEBRTC, random)),
          "a signal that names another sender than its signer stops at the node");
      awaitLine(jay, "(3 in all)", alice);
      String refusals = jay.output();
      assertEquals(2, count(refusals, "signal refused: UNEXPECTED"), refusals);
      assertEquals(1, count(refusals, "signal refused: REPLAYED"), refusals);

      // The page calls the Java agent; hello both ways.
      OutputStream in = jay.input();
      Matcher hello = awaitMatch(jay, Pattern.compile("([0-9a-f]{8}): hello from Alice"), alice);
      String aliceKey8 = hello.group(1);
      assertTrue(jay.output().contains("+ " + aliceKey8 + " BROWSER in "), jay.output());
      String bob8 = bobKey.substring(0, 8);
      Matcher called = awaitMatch(jay, Pattern.compile("\\+ " + bob8 + " BROWSER in (\\d+) ms \\(called\\)"), bob);
      awaitLine(jay, bob8 + ": hello from Bob", bob);
      awaitLine(bob, "peer channel open: Jay connected to you.", jay);
      in.write("hello from Jay\n".getBytes(StandardCharsets.UTF_8)); // to both pages
      in.flush();
      awaitLine(alice, "peer heard 'Jay: hello from Jay'", jay);
      awaitLine(bob, "peer heard 'Jay: hello from Jay'", jay);

      // The burst: Java to the page, counted on the page's clock.
      awaitLine(alice, "peer burst listening", jay);
      String filler = "x".repeat(100);
      StringBuilder burstLines = new StringBuilder();
      for (int i = 0; i < BrowserPeer.BURST; i++) {
        burstLines.append("burst ").append(i).append(' ').append(filler).append('\n');
      }
      long sent = System.nanoTime();
      in.write(burstLines.toString().getBytes(StandardCharsets.UTF_8));
      in.flush();
      awaitLine(alice, "peer burst burst-got", jay);
      awaitLine(bob, "peer burst arriving", jay);
      long burstWallMillis = (System.nanoTime() - sent) / 1_000_000;
      // more channels: the Java agent sees each open, and says "ack N" on it, which the page waits for to close it
      for (int i = 0; i < BrowserPeer.EXTRA_CONNECTIONS; i++) {
        awaitCount(jay, "+ " + aliceKey8 + " BROWSER in ", i + 2, alice);
        in.write(("ack " + i + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      awaitLine(alice, "peer done", jay);
      String a = alice.output();
      assertTrue(a.contains("peer channel open: Connected to Jay in"), a);
      BrowserPeer.ChannelFigures channels = BrowserPeer.ChannelFigures.of(a);
      assertTrue(a.contains("peer refused signals {}"), "the page refused none of the Java agent's signals: " + a);
      Matcher ice = Pattern.compile("peer ice gathered [a-z,]*; pair (.*)").matcher(a);
      assertTrue(ice.find(), a);
      awaitCount(jay, "- " + aliceKey8, BrowserPeer.EXTRA_CONNECTIONS, alice); // the Java agent saw them close
      in.close();

      // On boot: Bob's offer and answer and Mallory's three strays delivered from posts there; Alice's offers
      // arrived from boot2 as SIGNALs. Each node forwarded its side's signals of Alice's calls to the other.
      String metrics = boot.httpGet(boot.address(), 8440, "/metrics", Duration.ofSeconds(10)).body();
      String metrics2 = lab.host("boot2").httpGet(lab.host("boot2").address(), 8440, "/metrics",
          Duration.ofSeconds(10)).body();
      int aliceCalls = 1 + BrowserPeer.EXTRA_CONNECTIONS;
      assertEquals(2 + 3, BrowserPeer.metricValue(metrics, "dialtone_gateway_signals_total", "delivered"), metrics);
      assertEquals(1.0, BrowserPeer.metricValue(metrics, "dialtone_gateway_signals_total", "bad_signature"), metrics);
      for (String m : List.of(metrics, metrics2)) {
        assertEquals(aliceCalls, BrowserPeer.metricValue(m, "dialtone_gateway_signals_total", "forwarded"), m);
        assertEquals(aliceCalls, BrowserPeer.metricValue(m, "dialtone_node_signals_total", "delivered"), m);
      }
      Metrics.save(lab, List.of(node, node2), 8440);
      Results.record("browser-java", String.format("a Chromium page behind a cone NAT and a Java agent (dialtone join"
          + " --browsers, webrtc-java) on a public host, the page on another node (signals forwarded between the nodes, "
          + "found through the Java agent's directory record), ICE with its node's STUN (the page's pair %s): offer to open data channel median %d ms (%d channels: %s ms); %d lines of 110 bytes "
          + "Java to page at %.0f a second (page's clock, %s ms first to last; %d ms from the test's write to the "
          + "page's count); the Java agent called a page on a public host: offer to open %s ms (Java's clock); 3 stray signals refused by the Java agent (2 UNEXPECTED, 1 REPLAYED), 1 forged one by "
          + "the node; whole test %.0f s", ice.group(1), channels.medianOpenMillis(),
          channels.openMillis().size(), channels.openMillis(), BrowserPeer.BURST, channels.burstPerSecond(),
          channels.burstMillis(), burstWallMillis, called.group(1), (System.nanoTime() - t0) / 1e9));
    }
  }

  /** The key of the agent named {@code name} on the number's roster, as the node's gateway lists it. */
  private static String rosterKey(LabHost boot, String name) throws Exception {
    long deadline = System.nanoTime() + STEP.toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      body = boot.httpGet(boot.address(), 8440, "/dial/" + NUMBER, Duration.ofSeconds(10)).body();
      for (var a : new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("roster")) {
        if (name.equals(a.path("name").asText())) {
          return a.path("agent").asText();
        }
      }
      LabHost.sleepBriefly();
    }
    return fail(name + " is not on the roster of " + NUMBER + " within " + STEP + ": " + body);
  }

  /** A signal for {@code to}, naming {@code sender} and signed by {@code signer}, in a fresh session. */
  private static byte[] signal(Identity signer, Identity sender, PublicKey to, SignalKind kind,
      SignalTransport transport, Random random) {
    long now = System.currentTimeMillis();
    Nonce128 session = Nonce128.random(random);
    Nonce128 nonce = Nonce128.random(random);
    byte[] sdp = "v=0\r\n".getBytes(StandardCharsets.UTF_8);
    SignalBody signed = new SignalBody(kind, transport, org.dialtone.agent.reach.nat.NatType.UNKNOWN, Refusal.NONE, signer.publicKey(), to,
        session, nonce, now, now + 30_000, List.of(), sdp);
    SignalBody claimed = new SignalBody(kind, transport, org.dialtone.agent.reach.nat.NatType.UNKNOWN, Refusal.NONE, sender.publicKey(), to,
        session, nonce, now, now + 30_000, List.of(), sdp);
    // the signer's signature over its own body, under the body that names the claimed sender
    return SignalCodec.encode(new SignedSignal(claimed, SignedSignal.sign(signed, signer).signature()));
  }

  /** POST /signals from inside {@code from}'s namespace; the status code. */
  private static int post(LabHost from, String host, int port, byte[] body) throws Exception {
    Socket s = Netns.call(from.namespace(), () -> {
      Socket inside = new Socket();
      inside.connect(new InetSocketAddress(host, port), 10_000);
      return inside;
    });
    try (s) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /signals HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/octet-stream\r\n"
          + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream reply = s.getInputStream();
      String head = new String(reply.readAllBytes(), StandardCharsets.ISO_8859_1);
      String[] parts = head.lines().findFirst().orElse("").split(" ");
      return parts.length > 1 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : -1;
    }
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
      n++;
    }
    return n;
  }

  /** Waits until {@code p} printed {@code text} {@code n} times. */
  private static void awaitCount(LabProcess p, String text, int n, LabProcess other) {
    awaitMatch(p, Pattern.compile("(?s)(?:.*?" + Pattern.quote(text) + "){" + n + "}"), other);
  }

  /** Waits for {@code line} from {@code p}; fails at once, with both logs, when either fails. */
  private static void awaitLine(LabProcess p, String line, LabProcess other) {
    BrowserPeer.awaitMatch(p, Pattern.compile(Pattern.quote(line)), other, STEP);
  }

  private static Matcher awaitMatch(LabProcess p, Pattern pattern, LabProcess other) {
    return BrowserPeer.awaitMatch(p, pattern, other, STEP);
  }
}
