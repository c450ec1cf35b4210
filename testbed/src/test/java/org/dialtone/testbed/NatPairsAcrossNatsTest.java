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
 * Issue 11's NAT-pair matrix through the real CLI, in one lab: a host agent behind no NAT, a cone NAT and a symmetric
 * NAT ({@code dialtone host NUMBER}, no endpoint), a dialler behind each of the same ({@code dialtone connect}), two
 * bootstrap nodes (each with its relay and STUN server). Every one of the 9 pairs connects, echoes and chats, on the
 * expected path: DIRECT when the host is public (the relay's dial-back reached it), PUNCHED otherwise (the connection
 * comes up through the relay, both sides classify their NAT from the two STUN servers, signal inside the relayed
 * connection, punch and move to QUIC: direct rounds between two consistent mappings, random-port probes from the
 * consistent side and 512 birthday sockets on the symmetric side at the host the relay saw, for a cone or public
 * side with a symmetric one), RELAYED when both are symmetric. {@code dialtone status nat} says each kind of NAT. Then every pair again {@code -Dnat.tries=N} times (default 1; the figures: success, paths, median and
 * p95 time to connect per pair), and a file of {@code -Dnat.file.mib} MiB (default 16) through echo over the punched
 * path, over the relay and directly, SHA-256 checked, every process in a 96 MiB heap. Lines 10 ms one way, no loss.
 */
class NatPairsAcrossNatsTest {
  private static final Duration COMMAND = Duration.ofSeconds(180);
  private static final List<String> KINDS = List.of("none", "cone", "sym");
  private static final Pattern CONNECTED = Pattern.compile(
      "connected to [0-9a-f]{64} (DIRECT|RELAYED|PUNCHED) in (\\d+) ms");
  private static final Pattern PUNCH = Pattern.compile(
      "punch: (\\S+) \\(our NAT (\\w+), theirs (\\w+)\\) in (\\d+) ms(?:: ([^\\n]*))?");
  private static final Pattern ECHOED = Pattern.compile("echoed (\\d+) of (\\d+) bytes in ([0-9.]+) s \\(([0-9.]+) MiB/s");
  private static final int FILE_MIB = Integer.getInteger("nat.file.mib", 16);
  private static final int TRIES = Integer.getInteger("nat.tries", 1);

  /** The path a dialler behind {@code dialler} must end on to a host behind {@code host}. */
  static String expected(String dialler, String host) {
    if (host.equals("none")) {
      return "DIRECT";
    }
    return dialler.equals("sym") && host.equals("sym") ? "RELAYED" : "PUNCHED";
  }

  /**
   * The least time between two tries' starts for a pair. A cone dialler's tries to the symmetric host each cost the
   * host a birthday punch (512 sockets, one probe each, then keep-alives: about 600 probes until the hit) towards the
   * same remote host (the dialler's router), and the host's punch guard allows 4 x 1,751 probes a minute per remote
   * host: tries 10 s apart stay within it (about 3,600 a minute), faster ones would be refused (PROBE_BUDGET) and stay
   * relayed, by design.
   */
  static long triesSpacingMillis(String dialler, String host) {
    return dialler.equals("cone") && host.equals("sym") ? 10_000 : 0;
  }

  private static final Pattern PUNCH_STEP = Pattern.compile(
      "punch \\((RANDOM_PORTS|BIRTHDAY|DIRECT), (\\d+) probes, path (\\d+) ms after the first\\)");

  @Test
  void everyNatPairConnectsChatsAndEchoesOnTheExpectedPath() throws Exception {
    Testbeds.requireNetns();
    LabSpec spec = LabSpec.builder().links(LinkSpec.delay(10, 0)).seed(23)
        .publicHosts("boot", "boot2", "hostnone", "dialnone")
        .router("rhostcone", NatType.CONE).lanHost("hostcone", "rhostcone")
        .router("rhostsym", NatType.SYMMETRIC).lanHost("hostsym", "rhostsym")
        .router("rdialcone", NatType.CONE).lanHost("dialcone", "rdialcone")
        .router("rdialsym", NatType.SYMMETRIC).lanHost("dialsym", "rdialsym")
        .build();
    try (Lab lab = Lab.start(spec, Path.of("target/testbed/nat-pairs"))) {
      long t0 = System.nanoTime();
      LabHost boot = lab.host("boot");
      LabProcess node = boot.startNode("node", 7440, 8440, List.of()).awaitReady(Cluster.READY);
      String seed = boot.address() + ":7440";
      // A second node, so that a NAT is classified by two STUN servers (a mapping two reporters agree on).
      LabProcess node2 = lab.host("boot2").startNode("node", 7440, 8440, List.of(seed)).awaitReady(Cluster.READY);

      // A host behind each kind of NAT, each on its own number, serving chat and echo itself.
      Map<String, String> numbers = new LinkedHashMap<>();
      Map<String, LabProcess> hosts = new LinkedHashMap<>();
      for (int i = 0; i < KINDS.size(); i++) {
        String kind = KINDS.get(i);
        String number = "744-196884-" + (81 + i);
        numbers.put(kind, number);
        hosts.put(kind, lab.host("host" + kind).start("host", List.of("host", number, "--name", "host " + kind,
            // long enough for the tries too: 9 pairs, the paced cone->sym tries 10 s apart, on a loaded machine
            "--for", String.valueOf(Math.max(900, 60 * TRIES)), "--timeout", "60", "--bootstrap", seed)));
      }
      // Meanwhile, each dialler's NAT as `dialtone status nat` says it.
      Map<String, CompletableFuture<String>> nats = new LinkedHashMap<>();
      for (String kind : KINDS) {
        nats.put(kind, Testbeds.onOwnThread("nat-" + kind, () -> natStatus(lab.host("dial" + kind), seed)));
      }
      for (String kind : KINDS) {
        hosts.get(kind).awaitOutput("hosting " + numbers.get(kind), COMMAND);
        String line = hosts.get(kind).output();
        assertTrue(line.contains(kind.equals("none") ? "(direct)" : "(relayed by ws://"), kind + ": " + line);
      }
      assertEquals("none", nats.get("none").join(), "a public host has no NAT");
      assertEquals("CONSISTENT", nats.get("cone").join(), "a cone NAT maps one port for every destination");
      assertEquals("RANDOM", nats.get("sym").join(), "a symmetric NAT maps another port per destination");

      // Every dialler kind in parallel; each dials the three hosts in turn: echo, then chat.
      Path work = lab.dir().resolve("pipes");
      Files.createDirectories(work);
      List<CompletableFuture<List<String>>> rows = new ArrayList<>();
      for (String dialler : KINDS) {
        rows.add(Testbeds.onOwnThread("dial-" + dialler,
            () -> dialEveryHost(lab.host("dial" + dialler), dialler, numbers, hosts, seed, work)));
      }
      List<String> matrix = new ArrayList<>();
      for (CompletableFuture<List<String>> r : rows) {
        matrix.addAll(r.join());
      }
      hosts.get("cone").awaitOutput("PUNCHED", COMMAND); // the host's side of a punched connection says it too
      hosts.get("sym").awaitOutput("PUNCHED", COMMAND);
      matrix.forEach(line -> Results.record("nat-pair", line));

      // Every pair again, N times (each dialler's row in parallel): success, paths and times for the figures.
      List<CompletableFuture<List<Tries>>> tryRows = new ArrayList<>();
      for (String dialler : KINDS) {
        tryRows.add(Testbeds.onOwnThread("tries-" + dialler,
            () -> tryEveryHost(lab.host("dial" + dialler), dialler, numbers, seed, work)));
      }
      List<Tries> tries = new ArrayList<>();
      for (CompletableFuture<List<Tries>> r : tryRows) {
        tries.addAll(r.join());
      }
      if (TRIES > 0) {
        tries.forEach(t -> Results.record("nat-tries", t.summary()));
      }
      for (Tries t : tries) {
        assertEquals(TRIES, t.onExpectedPath(), t.summary());
      }

      String relayed = file(lab.host("dialcone"), numbers.get("cone"), "RELAYED", false, seed, work);
      String direct = file(lab.host("dialnone"), numbers.get("none"), "DIRECT", true, seed, work);
      String punched = file(lab.host("dialcone"), numbers.get("cone"), "PUNCHED", true, seed, work);

      var metrics = boot.httpGet(boot.address(), 8440, "/metrics", Duration.ofSeconds(30));
      assertTrue(metrics.body().contains("dialtone_relay_circuits_opened_total"), metrics.body());
      Metrics.save(lab, List.of(node, node2), 8440);
      Results.record("nat-pairs", String.format("9 NAT pairs (none, cone, symmetric; lines 10 ms one way, no loss; "
          + "two STUN nodes) connected, chatted and echoed on the expected paths; status nat: none/CONSISTENT/RANDOM; "
          + "%d more tries per pair, all on the expected path; file %d MiB through echo (SHA-256 checked, 96 MiB "
          + "heaps): punched %s, relayed %s, direct %s; whole test %.0f s", TRIES, FILE_MIB, punched, relayed, direct,
          (System.nanoTime() - t0) / 1e9));
      hosts.values().forEach(h -> h.stop(Duration.ofSeconds(30)));
    }
  }

  /** What {@code dialtone status nat --json} says: "none" for a public mapping of the machine's own, else the type. */
  private static String natStatus(LabHost host, String seed) {
    var run = host.run(COMMAND, "status", "nat", "--json", "--timeout", "30", "--bootstrap", seed);
    assertEquals(0, run.exitCode(), host.name() + ": " + run.output());
    boolean none = Pattern.compile("\"noNat\"\\s*:\\s*true").matcher(run.output()).find();
    return none ? "none" : Testbeds.jsonField(run.output(), "nat");
  }

  private static List<String> dialEveryHost(LabHost dialler, String dk, Map<String, String> numbers,
      Map<String, LabProcess> hosts, String seed, Path work) throws Exception {
    List<String> out = new ArrayList<>();
    for (String hk : KINDS) {
      String pair = dk + "->" + hk;
      String expected = expected(dk, hk);
      String echo = echo(dialler, pair, numbers.get(hk), expected, seed, work);
      chat(dialler, pair, numbers.get(hk), expected, hosts.get(hk), seed, work);
      out.add(echo + "; chat and echo");
    }
    return out;
  }

  /** One pair's tries: how many connected and echoed, on which paths, how long connecting took (ms, sorted). */
  record Tries(String pair, String expected, int connected, int onExpectedPath, Map<String, Integer> paths,
      List<Long> millis, Map<String, Integer> punchOutcomes, List<Long> probes, List<Long> punchMillis) {
    String summary() {
      String punch = probes.isEmpty() ? "" : String.format("; dialler's punch (%s): probes until the path median %s, "
          + "p95 %s, max %s; path found median %s ms, p95 %s ms after the first probe",
          punchOutcomes, at(probes, 0.5), at(probes, 0.95), at(probes, 1.0), at(punchMillis, 0.5),
          at(punchMillis, 0.95));
      return String.format("%s %d/%d connected, %d on %s, paths %s; time to connect median %s ms, p95 %s ms, "
          + "max %s ms (CLI, fresh JVM, lines 10 ms one way)%s", pair, connected, TRIES, onExpectedPath, expected,
          paths, at(millis, 0.5), at(millis, 0.95), at(millis, 1.0), punch);
    }

    /** The nearest-rank quantile {@code q} of sorted values. */
    private static String at(List<Long> sorted, double q) {
      if (sorted.isEmpty()) {
        return "-";
      }
      int rank = Math.max(1, (int) Math.ceil(q * sorted.size()));
      return String.valueOf(sorted.get(Math.min(sorted.size(), rank) - 1));
    }
  }

  private static List<Tries> tryEveryHost(LabHost dialler, String dk, Map<String, String> numbers, String seed,
      Path work) throws Exception {
    List<Tries> out = new ArrayList<>();
    for (String hk : KINDS) {
      String pair = dk + "->" + hk;
      String expected = expected(dk, hk);
      int connected = 0;
      int onPath = 0;
      Map<String, Integer> paths = new java.util.TreeMap<>();
      Map<String, Integer> punchOutcomes = new java.util.TreeMap<>();
      List<Long> millis = new ArrayList<>();
      List<Long> probes = new ArrayList<>();
      List<Long> punchMillis = new ArrayList<>();
      long spacing = triesSpacingMillis(dk, hk);
      long lastStart = 0;
      byte[] data = new byte[4096];
      new Random(pair.hashCode()).nextBytes(data);
      Path in = work.resolve(dk + "-" + hk + ".try.in");
      Path back = work.resolve(dk + "-" + hk + ".try.out");
      Files.write(in, data);
      for (int i = 0; i < TRIES; i++) {
        long wait = lastStart + spacing * 1_000_000 - System.nanoTime();
        if (i > 0 && wait > 0) {
          Thread.sleep(wait / 1_000_000); // pacing to the host's punch budget (above), not waiting for a condition
        }
        lastStart = System.nanoTime();
        var run = dialler.runPiped(COMMAND, in, back, "connect", numbers.get(hk), "--service", "echo", "--timeout",
            "60", "--bootstrap", seed);
        Matcher c = CONNECTED.matcher(run.output());
        if (run.exitCode() != 0 || !java.util.Arrays.equals(data, Files.readAllBytes(back)) || !c.find()) {
          paths.merge("FAILED", 1, Integer::sum);
          continue;
        }
        connected++;
        paths.merge(c.group(1), 1, Integer::sum);
        Matcher p = PUNCH.matcher(run.output());
        if (p.find()) {
          punchOutcomes.merge(p.group(1), 1, Integer::sum);
          Matcher step = PUNCH_STEP.matcher(run.output());
          if (step.find()) {
            probes.add(Long.parseLong(step.group(2)));
            punchMillis.add(Long.parseLong(step.group(3)));
          }
        }
        if (c.group(1).equals(expected)) {
          onPath++;
        }
        millis.add(Long.parseLong(c.group(2)));
      }
      millis.sort(Long::compare);
      probes.sort(Long::compare);
      punchMillis.sort(Long::compare);
      out.add(new Tries(pair, expected, connected, onPath, Map.copyOf(paths), List.copyOf(millis),
          Map.copyOf(punchOutcomes), List.copyOf(probes), List.copyOf(punchMillis)));
    }
    return out;
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

  private static void chat(LabHost dialler, String pair, String number, String expected, LabProcess host,
      String seed, Path work) throws Exception {
    String hello = "hello over " + expected + " from " + pair;
    String name = pair.replaceAll("[^a-z0-9]", "_");
    Path in = work.resolve(name + ".chat");
    Files.writeString(in, hello + "\n", StandardCharsets.UTF_8);
    var run = dialler.runPiped(COMMAND, in, work.resolve(name + ".chat.out"), "connect", number, "--timeout", "60",
        "--bootstrap", seed);
    assertEquals(0, run.exitCode(), pair + ": " + run.output());
    path(run.output(), expected, pair + " chat");
    host.awaitOutput(hello, COMMAND);
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
    // At least 1 MiB/s each way, however large the file (-Dnat.file.mib=200 for the figure).
    Duration limit = COMMAND.plusSeconds(FILE_MIB);
    var run = dialler.runPiped(limit, in, back, "connect", number, "--service", "echo", "--timeout", "60",
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
    Files.delete(in);
    Files.delete(back);
    Matcher e = ECHOED.matcher(run.output());
    assertTrue(e.find(), run.output());
    return e.group(4) + " MiB/s each way (" + e.group(3) + " s)";
  }
}
