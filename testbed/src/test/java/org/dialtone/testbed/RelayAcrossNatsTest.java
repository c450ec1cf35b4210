package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's matrix through the real CLI: a host agent behind no NAT, a cone NAT or a symmetric NAT
 * ({@code dialtone host NUMBER}, no endpoint given), and a dialler behind each of the same
 * ({@code dialtone connect NUMBER}); every pair connects, chats and echoes; the path is DIRECT when the host is
 * public (the bootstrap node's dial-back reached it) and RELAYED through the bootstrap node's relay otherwise. Then a
 * file goes through the echo service over the relay and over a direct path, SHA-256 checked both ways. One lab for
 * all of it; every line 10 ms one way, no loss (so 20 ms between two machines, 40 ms round trip).
 */
class RelayAcrossNatsTest {
  private static final Duration COMMAND = Duration.ofSeconds(180);
  private static final List<String> KINDS = List.of("none", "cone", "sym");
  private static final Pattern CONNECTED = Pattern.compile("connected to [0-9a-f]{64} (DIRECT|RELAYED) in (\\d+) ms");
  private static final Pattern ECHOED = Pattern.compile("echoed (\\d+) of (\\d+) bytes in ([0-9.]+) s \\(([0-9.]+) MiB/s");
  private static final int FILE_MIB = 32;

  @Test
  void everyNatPairConnectsChatsAndEchoesDirectOrRelayed() throws Exception {
    Testbeds.requireNetns();
    LabSpec spec = LabSpec.builder().links(LinkSpec.delay(10, 0)).seed(17)
        .publicHosts("boot", "hostnone", "dialnone")
        .router("rhostcone", NatType.CONE).lanHost("hostcone", "rhostcone")
        .router("rdialcone", NatType.CONE).lanHost("dialcone", "rdialcone")
        .router("rhostsym", NatType.SYMMETRIC).lanHost("hostsym", "rhostsym")
        .router("rdialsym", NatType.SYMMETRIC).lanHost("dialsym", "rdialsym")
        .build();
    try (Lab lab = Lab.start(spec, Path.of("target/testbed/relay"))) {
      long t0 = System.nanoTime();
      LabHost boot = lab.host("boot");
      LabProcess node = boot.startNode("node", 7440, 8440, List.of()).awaitReady(Cluster.READY);
      String seed = boot.address() + ":7440";

      // A host behind each kind of NAT, each on its own number, serving chat and echo itself.
      Map<String, String> numbers = new LinkedHashMap<>();
      Map<String, LabProcess> hosts = new LinkedHashMap<>();
      for (int i = 0; i < KINDS.size(); i++) {
        String kind = KINDS.get(i);
        String number = "744-196884-" + (81 + i);
        numbers.put(kind, number);
        hosts.put(kind, lab.host("host" + kind).start("host", List.of("host", number, "--name", "host " + kind,
            "--for", "900", "--timeout", "60", "--bootstrap", seed)));
      }
      for (String kind : KINDS) {
        hosts.get(kind).awaitOutput("hosting " + numbers.get(kind), COMMAND);
        String line = hosts.get(kind).output();
        assertTrue(line.contains(kind.equals("none") ? "(direct)" : "(relayed by ws://" + boot.address() + ":7440)"),
            kind + ": " + line);
      }

      // Every dialler kind, in parallel; each dials the three hosts in turn: echo, then chat.
      Path work = lab.dir().resolve("pipes");
      Files.createDirectories(work);
      List<CompletableFuture<List<String>>> runs = new ArrayList<>();
      for (String dialler : KINDS) {
        runs.add(Testbeds.onOwnThread("relay-dialler", () -> dialEveryHost(lab.host("dial" + dialler), dialler, numbers, hosts, seed, work)));
      }
      List<String> matrix = new ArrayList<>();
      for (CompletableFuture<List<String>> r : runs) {
        matrix.addAll(r.join());
      }

      // A file through the echo service: relayed (symmetric to symmetric) and direct (none to none).
      String relayed = file(lab.host("dialsym"), numbers.get("sym"), "RELAYED", seed, work);
      String direct = file(lab.host("dialnone"), numbers.get("none"), "DIRECT", seed, work);

      var metrics = boot.httpGet(boot.address(), 8440, "/metrics", Duration.ofSeconds(30));
      assertTrue(metrics.body().contains("dialtone_relay_circuits_opened_total"), metrics.body());
      Metrics.save(lab, List.of(node), 8440);
      Results.record("relay", String.format("3x3 NAT pairs (none, cone, symmetric; lines 10 ms one way, no loss): "
          + "all connected, chatted and echoed; host public: DIRECT, host NATed: RELAYED; %s; file %d MiB "
          + "through echo (SHA-256 checked): relayed %s, direct %s; whole test %.0f s", String.join("; ", matrix),
          FILE_MIB, relayed, direct, (System.nanoTime() - t0) / 1e9));
      hosts.values().forEach(h -> h.stop(Duration.ofSeconds(30)));
    }
  }

  private static List<String> dialEveryHost(LabHost dialler, String dk, Map<String, String> numbers,
      Map<String, LabProcess> hosts, String seed, Path work) throws Exception {
    List<String> out = new ArrayList<>();
    for (String hk : KINDS) {
      String number = numbers.get(hk);
      String expected = hk.equals("none") ? "DIRECT" : "RELAYED";
      byte[] data = new byte[64 * 1024];
      new Random(dk.hashCode() * 31L + hk.hashCode()).nextBytes(data);
      Path in = work.resolve(dk + "-" + hk + ".in");
      Path back = work.resolve(dk + "-" + hk + ".out");
      Files.write(in, data);
      var echo = dialler.runPiped(COMMAND, in, back, "connect", number, "--service", "echo", "--timeout", "60",
          "--bootstrap", seed);
      assertEquals(0, echo.exitCode(), dk + " -> " + hk + ": " + echo.output());
      assertArrayEquals(data, Files.readAllBytes(back), dk + " -> " + hk + ": echo came back altered");
      Matcher m = CONNECTED.matcher(echo.output());
      assertTrue(m.find(), echo.output());
      assertEquals(expected, m.group(1), dk + " -> " + hk + ": " + echo.output());

      String hello = "hello from " + dk + " to " + hk;
      Path chatIn = work.resolve(dk + "-" + hk + ".chat");
      Files.writeString(chatIn, hello + "\n", StandardCharsets.UTF_8);
      var chat = dialler.runPiped(COMMAND, chatIn, work.resolve(dk + "-" + hk + ".chat.out"), "connect", number,
          "--timeout", "60", "--bootstrap", seed);
      assertEquals(0, chat.exitCode(), dk + " -> " + hk + ": " + chat.output());
      hosts.get(hk).awaitOutput(hello, COMMAND);
      out.add(dk + "->" + hk + " " + m.group(1) + " " + m.group(2) + " ms");
    }
    return out;
  }

  private static String file(LabHost dialler, String number, String expected, String seed, Path work)
      throws Exception {
    Path in = work.resolve("file-" + expected + ".in");
    Path back = work.resolve("file-" + expected + ".out");
    byte[] chunk = new byte[1 << 20];
    Random random = new Random(expected.hashCode());
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    try (var out = Files.newOutputStream(in)) {
      for (int i = 0; i < FILE_MIB; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
        sent.update(chunk);
      }
    }
    var run = dialler.runPiped(COMMAND, in, back, "connect", number, "--service", "echo", "--timeout", "60",
        "--bootstrap", seed);
    assertEquals(0, run.exitCode(), run.output());
    Matcher c = CONNECTED.matcher(run.output());
    assertTrue(c.find() && c.group(1).equals(expected), run.output());
    MessageDigest got = MessageDigest.getInstance("SHA-256");
    try (var read = Files.newInputStream(back)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = read.read(buf)) > 0) {
        got.update(buf, 0, n);
      }
    }
    assertArrayEquals(sent.digest(), got.digest(), expected + ": the file came back with another SHA-256");
    Matcher e = ECHOED.matcher(run.output());
    assertTrue(e.find(), run.output());
    return e.group(4) + " MiB/s each way (" + e.group(3) + " s)";
  }
}
