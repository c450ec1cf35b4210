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
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hole punching through the real CLI (issue 11): hosts behind a cone and a symmetric NAT ({@code dialtone host},
 * reserved at a relay), diallers behind no NAT, a cone and a symmetric NAT ({@code dialtone connect}). Every
 * connection comes up through the relay; then both agents learn their mappings from the two bootstrap nodes' STUN
 * servers, exchange signed signals inside the relayed connection, punch, and move to QUIC on the punched path: cone to
 * cone and public to cone end PUNCHED; a symmetric NAT on either side stays RELAYED (no random-port or birthday
 * punch without a node-verified address: not built yet). Echo and chat work on every path, and a file goes through
 * echo over the punched path and over the relay, SHA-256 checked. Lines 10 ms one way, no loss.
 *
 * <p>{@code -Dpunch.tries=N} (default 3) sets how many cone-to-cone connections are timed for the figures.
 */
class PunchAcrossNatsTest {
  private static final Duration COMMAND = Duration.ofSeconds(180);
  private static final Pattern CONNECTED = Pattern.compile(
      "connected to [0-9a-f]{64} (DIRECT|RELAYED|PUNCHED) in (\\d+) ms");
  private static final Pattern PUNCH = Pattern.compile(
      "punch: (\\S+) \\(our NAT (\\w+), theirs (\\w+)\\) in (\\d+) ms(?:: ([^\\n]*))?");
  private static final Pattern ECHOED = Pattern.compile("echoed (\\d+) of (\\d+) bytes in ([0-9.]+) s \\(([0-9.]+) MiB/s");
  private static final int FILE_MIB = Integer.getInteger("punch.file.mib", 16);
  private static final int TRIES = Integer.getInteger("punch.tries", 3);

  @Test
  void conesPunchSymmetricNatsStayRelayedAndEveryPathCarriesChatAndEcho() throws Exception {
    Testbeds.requireNetns();
    LabSpec spec = LabSpec.builder().links(LinkSpec.delay(10, 0)).seed(23)
        .publicHosts("boot", "boot2", "dialnone")
        .router("rhostcone", NatType.CONE).lanHost("hostcone", "rhostcone")
        .router("rhostsym", NatType.SYMMETRIC).lanHost("hostsym", "rhostsym")
        .router("rdialcone", NatType.CONE).lanHost("dialcone", "rdialcone")
        .router("rdialsym", NatType.SYMMETRIC).lanHost("dialsym", "rdialsym")
        .build();
    try (Lab lab = Lab.start(spec, Path.of("target/testbed/punch"))) {
      long t0 = System.nanoTime();
      LabHost boot = lab.host("boot");
      LabProcess node = boot.startNode("node", 7440, 8440, List.of()).awaitReady(Cluster.READY);
      String seed = boot.address() + ":7440";
      // A second node, so that a NAT is classified by two STUN servers (a mapping two reporters agree on).
      LabProcess node2 = lab.host("boot2").startNode("node", 7440, 8440, List.of(seed)).awaitReady(Cluster.READY);

      String coneNumber = "744-196884-91";
      String symNumber = "744-196884-92";
      LabProcess coneHost = lab.host("hostcone").start("host", List.of("host", coneNumber, "--name", "host cone",
          "--for", "900", "--timeout", "60", "--bootstrap", seed));
      LabProcess symHost = lab.host("hostsym").start("host", List.of("host", symNumber, "--name", "host sym",
          "--for", "900", "--timeout", "60", "--bootstrap", seed));
      coneHost.awaitOutput("hosting " + coneNumber, COMMAND);
      symHost.awaitOutput("hosting " + symNumber, COMMAND);
      assertTrue(coneHost.output().contains("(relayed by ws://"), coneHost.output());

      Path work = lab.dir().resolve("pipes");
      Files.createDirectories(work);
      List<String> matrix = new ArrayList<>();
      matrix.add(echo(lab.host("dialcone"), "cone->cone", coneNumber, "PUNCHED", seed, work));
      coneHost.awaitOutput("PUNCHED", COMMAND); // the host's side of the connection says it too
      matrix.add(chat(lab.host("dialcone"), "cone->cone", coneNumber, "PUNCHED", coneHost, seed, work));
      matrix.add(echo(lab.host("dialnone"), "none->cone", coneNumber, "PUNCHED", seed, work));
      matrix.add(echo(lab.host("dialsym"), "sym->cone", coneNumber, "RELAYED", seed, work));
      matrix.add(echo(lab.host("dialcone"), "cone->sym", symNumber, "RELAYED", seed, work));
      matrix.add(echo(lab.host("dialsym"), "sym->sym", symNumber, "RELAYED", seed, work));
      matrix.add(chat(lab.host("dialsym"), "sym->sym", symNumber, "RELAYED", symHost, seed, work));

      // Tries: cone to cone again and again; every one must end PUNCHED.
      List<Long> millis = new ArrayList<>();
      for (int i = 0; i < TRIES; i++) {
        String line = echo(lab.host("dialcone"), "try " + i, coneNumber, "PUNCHED", seed, work);
        Matcher m = Pattern.compile("in (\\d+) ms").matcher(line);
        assertTrue(m.find(), line);
        millis.add(Long.parseLong(m.group(1)));
      }
      millis.sort(Long::compare);

      String punched = file(lab.host("dialcone"), coneNumber, "PUNCHED", true, seed, work);
      String relayed = file(lab.host("dialcone"), coneNumber, "RELAYED", false, seed, work);

      Metrics.save(lab, List.of(node, node2), 8440);
      Results.record("punch", String.format("NAT pairs (lines 10 ms one way, no loss; two STUN nodes): %s; "
          + "cone->cone %d/%d tries PUNCHED, time to connect (CLI, fresh JVM: lookup, relay, STUN, signals, punch, "
          + "QUIC, handshake) median %d ms, max %d ms; file %d MiB through echo (SHA-256 checked): punched %s, "
          + "relayed %s; whole test %.0f s", String.join("; ", matrix), millis.size(), TRIES,
          millis.get(millis.size() / 2), millis.get(millis.size() - 1), FILE_MIB, punched, relayed,
          (System.nanoTime() - t0) / 1e9));
      coneHost.stop(Duration.ofSeconds(30));
      symHost.stop(Duration.ofSeconds(30));
    }
  }

  private static String echo(LabHost dialler, String pair, String number, String expected, String seed, Path work)
      throws Exception {
    byte[] data = new byte[64 * 1024];
    new Random(pair.hashCode()).nextBytes(data);
    String name = pair.replaceAll("[^a-z0-9]", "_");
    Path in = work.resolve(name + ".in");
    Path back = work.resolve(name + ".out");
    Files.write(in, data);
    var run = dialler.runPiped(COMMAND, in, back, "connect", number, "--service", "echo", "--timeout", "60",
        "--bootstrap", seed);
    assertEquals(0, run.exitCode(), pair + ": " + run.output());
    assertArrayEquals(data, Files.readAllBytes(back), pair + ": echo came back altered");
    return pair + " " + path(run.output(), expected, pair);
  }

  private static String chat(LabHost dialler, String pair, String number, String expected, LabProcess host,
      String seed, Path work) throws Exception {
    String hello = "hello over " + expected + " from " + pair;
    String name = pair.replaceAll("[^a-z0-9]", "_");
    Path in = work.resolve(name + ".chat");
    Files.writeString(in, hello + "\n", StandardCharsets.UTF_8);
    var run = dialler.runPiped(COMMAND, in, work.resolve(name + ".chat.out"), "connect", number, "--timeout", "60",
        "--bootstrap", seed);
    assertEquals(0, run.exitCode(), pair + ": " + run.output());
    host.awaitOutput(hello, COMMAND);
    return pair + " chat " + path(run.output(), expected, pair);
  }

  /** Checks the path the CLI printed; returns "PATH in N ms (punch: ...)". */
  private static String path(String output, String expected, String pair) {
    Matcher c = CONNECTED.matcher(output);
    assertTrue(c.find(), pair + ": " + output);
    assertEquals(expected, c.group(1), pair + ": " + output);
    Matcher p = PUNCH.matcher(output);
    String punch = p.find() ? " (punch " + p.group(1) + ", " + p.group(2) + "/" + p.group(3) + ", " + p.group(4)
        + " ms" + (p.group(5) == null ? "" : ": " + p.group(5)) + ")" : "";
    return c.group(1) + " in " + c.group(2) + " ms" + punch;
  }

  private static String file(LabHost dialler, String number, String expected, boolean punch, String seed,
      Path work) throws Exception {
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
        "--punch=" + punch, "--bootstrap", seed);
    assertEquals(0, run.exitCode(), run.output());
    path(run.output(), expected, "file " + expected);
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
