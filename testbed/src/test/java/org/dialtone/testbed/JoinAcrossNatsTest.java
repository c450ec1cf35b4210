package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's {@code join}: eight agents behind mixed NATs (three public, three behind cone NATs, two behind symmetric
 * NATs, each NAT its own home router) run {@code dialtone join} on one number and end with every pair connected,
 * directly where one side is reachable (the NATed side calls), through the bootstrap node's relay where neither is;
 * a line typed into one room reaches all seven others. Then the relayed pairs move to punched paths where the NATs
 * allow: every pair with a cone member ends PUNCHED, the symmetric pair stays RELAYED. Lines 10 ms one way, no loss.
 *
 * <p>Five NATed members need ten relayed circuits, four per member: within one relay's limits (16 circuits, 4 per
 * reserved agent, 4 per calling /24; each home router has a /24 of its own). A sixth NATed member would need a fifth
 * circuit to it, so a second relay, which agents do not spread over yet.
 */
class JoinAcrossNatsTest {
  private static final Duration LIMIT = Duration.ofSeconds(240);
  private static final Pattern JOINED = Pattern.compile("joined \\S+ as \\S+ \\(([0-9a-f]{64})\\)");
  private static final Pattern PEER = Pattern.compile("^([+-]) ([0-9a-f]{8})(?: (\\w+))?$", Pattern.MULTILINE);
  private static final String ROOM = "744-196884-90";

  @Test
  void eightAgentsBehindMixedNatsAllConnectAndChat() throws Exception {
    Testbeds.requireNetns();
    List<String> members = List.of("pub1", "pub2", "pub3", "cone1", "cone2", "cone3", "sym1", "sym2");
    LabSpec.Builder b = LabSpec.builder().links(LinkSpec.delay(10, 0)).seed(23)
        .publicHosts("boot", "boot2", "pub1", "pub2", "pub3");
    for (String m : members) {
      if (!m.startsWith("pub")) {
        b.router("r" + m, m.startsWith("cone") ? NatType.CONE : NatType.SYMMETRIC).lanHost(m, "r" + m);
      }
    }
    try (Lab lab = Lab.start(b.build(), Path.of("target/testbed/join"))) {
      long t0 = System.nanoTime();
      LabHost boot = lab.host("boot");
      boot.startNode("node", 7440, 8440, List.of()).awaitReady(Cluster.READY);
      String seed = boot.address() + ":7440";
      // a second node: an agent classifies its NAT (before punching) from at least two nodes' STUN answers
      lab.host("boot2").startNode("node", 7440, 8440, List.of(seed)).awaitReady(Cluster.READY);

      Map<String, LabProcess> rooms = new LinkedHashMap<>();
      for (String m : members) {
        List<String> args = List.of("join", ROOM, "--as", m, "--name", m, "--for", "900", "--timeout", "60",
            "--bootstrap", seed);
        rooms.put(m, lab.host(m).start("join", args));
      }
      Map<String, String> keys = new LinkedHashMap<>();
      for (String m : members) {
        rooms.get(m).awaitOutput("joined " + ROOM, LIMIT);
        Matcher j = JOINED.matcher(rooms.get(m).output());
        assertTrue(j.find(), m + ": " + rooms.get(m).output());
        keys.put(m, j.group(1));
        assertTrue(rooms.get(m).output().contains(m.startsWith("pub") ? "(direct)" : "(relayed by "),
            m + " is reached " + (m.startsWith("pub") ? "directly" : "through the relay") + ": "
                + rooms.get(m).output());
      }

      // Every member ends connected to the seven others.
      long deadline = System.nanoTime() + LIMIT.toNanos();
      Map<String, Map<String, String>> connected = new LinkedHashMap<>();
      for (String m : members) {
        while (true) {
          Map<String, String> now = peers(rooms.get(m).output());
          if (now.size() == members.size() - 1) {
            connected.put(m, now);
            break;
          }
          assertTrue(System.nanoTime() < deadline, m + " connected to " + now.size() + " of 7 within " + LIMIT
              + ":\n" + rooms.get(m).output());
          LabHost.sleepBriefly();
        }
      }
      long allConnectedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      for (String m : members) {
        Set<String> expected = new LinkedHashSet<>();
        keys.forEach((other, key) -> {
          if (!other.equals(m)) {
            expected.add(key.substring(0, 8));
          }
        });
        assertEquals(expected, connected.get(m).keySet(), m + " is connected to exactly the others");
      }

      // A line typed into pub1's room reaches the seven others.
      OutputStream in = rooms.get("pub1").input();
      in.write("hello room\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      String said = keys.get("pub1").substring(0, 8) + ": hello room";
      for (String m : members.subList(1, members.size())) {
        rooms.get(m).awaitOutput(said, LIMIT);
      }
      in.close();

      // Then the rooms move their relayed pairs to punched paths: every pair with a cone member ends PUNCHED (both
      // sides say so), the two symmetric members stay RELAYED (no punch between two random mappings), and a pair
      // with a public member stays DIRECT. A symmetric member meets three cone members at once, more than the two
      // wide punches its guard allows at once: the third is refused (by its guard, or by its answer BUSY) and the
      // room tries it again later.
      deadline = System.nanoTime() + LIMIT.toNanos();
      for (String m : members) {
        while (true) {
          Map<String, String> now = peers(rooms.get(m).output());
          List<String> wrong = new ArrayList<>();
          for (String other : members) {
            if (!other.equals(m)) {
              String path = now.get(keys.get(other).substring(0, 8));
              String expected = m.startsWith("pub") || other.startsWith("pub") ? "DIRECT"
                  : m.startsWith("sym") && other.startsWith("sym") ? "RELAYED" : "PUNCHED";
              if (!expected.equals(path)) {
                wrong.add(other + " " + path + " (expected " + expected + ")");
              }
            }
          }
          if (wrong.isEmpty()) {
            connected.put(m, now);
            break;
          }
          assertTrue(System.nanoTime() < deadline, m + "'s paths within " + LIMIT + ": " + wrong + "\n"
              + rooms.get(m).output());
          LabHost.sleepBriefly();
        }
      }
      long settledMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      Map<String, Integer> paths = new java.util.TreeMap<>();
      connected.values().forEach(p -> p.values().forEach(path -> paths.merge(path, 1, Integer::sum)));
      Results.record("join", "8 agents on " + ROOM + " (3 public, 3 behind cone NATs, 2 behind symmetric NATs; lines 10"
          + " ms one way, no loss): every pair connected " + allConnectedMillis + " ms after the bootstrap node "
          + "started; a line typed in one room reached the 7 others; relayed pairs punched where the NATs allow, all "
          + "settled at " + settledMillis + " ms: connection ends by path " + paths);
    }
  }

  /** The members connected now, by the 8 hex digits printed, with their path: '+' lines minus '-' lines. */
  private static Map<String, String> peers(String output) {
    Map<String, String> now = new LinkedHashMap<>();
    Matcher m = PEER.matcher(output);
    while (m.find()) {
      if (m.group(1).equals("+")) {
        now.put(m.group(2), m.group(3));
      } else {
        now.remove(m.group(2));
      }
    }
    return now;
  }
}
