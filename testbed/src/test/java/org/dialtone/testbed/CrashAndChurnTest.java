package org.dialtone.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * 20 node processes on 4 hosts. Crash: kill -9 five of the nodes holding a record and restart them; readers never
 * miss it, and the record is still everywhere afterwards. Churn: node processes killed and fresh ones started at a
 * steady rate while lookups run; the success rate is reported.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashAndChurnTest {
  private static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4");
  private Lab lab;
  private Cluster cluster;
  private String seeds;

  @BeforeAll
  void startCluster() {
    Testbeds.requireNetns();
    LabSpec spec = LabSpec.builder().links(LinkSpec.delay(5, 1)).seed(31).publicHosts("h1", "h2", "h3", "h4",
        "writer").build();
    lab = Lab.start(spec, Path.of("target/testbed/crash-churn"));
    cluster = Cluster.start(lab, HOSTS, 5);
    seeds = lab.host("h1").address() + ":7440," + lab.host("h3").address() + ":7440";
  }

  @AfterAll
  void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  @Order(1)
  void killingFiveHoldersLosesNothingAndReadersNeverMissTheRecord() throws Exception {
    // The writer stays (renewing every minute, as agents do): on this shared machine a restart can outlast the
    // 2-minute TTL of a record published once. That the victims kept what they acknowledged is checked on their
    // disks: their flushed stores hold the record before the crash and they restore every record after it.
    LabProcess writer = lab.host("writer").start("writer", List.of("announce", "744-196884-400", "--name",
        "Crash Probe", "--for", "900", "--timeout", "60", "--bootstrap", seeds));
    writer.awaitOutput("announced on 744-196884-400", Duration.ofSeconds(180));
    // Holders: nodes whose flushed store has the record (acknowledged, then on disk within the flush interval).
    List<LabProcess> holders = awaitHolders(5, Duration.ofSeconds(60));
    List<LabProcess> victims = holders.subList(0, 5);
    assertEquals(5, victims.size(), "five holders to kill among " + holders);

    List<LabProcess> survivors = cluster.nodes.stream().filter(n -> !victims.contains(n)).toList();
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger misses = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread reader = new Thread(() -> {
      int i = 0;
      while (running.get()) {
        LabProcess via = survivors.get(i++ % survivors.size());
        boolean ok = Cluster.sees(via, "744-196884-400", "Crash Probe");
        reads.incrementAndGet();
        if (!ok) {
          misses.incrementAndGet();
        }
      }
    }, "crash-reader");
    reader.start();
    try {
      victims.forEach(LabProcess::kill9);
      int before = reads.get();
      awaitCondition(() -> reads.get() >= before + 10, Duration.ofSeconds(120), "10 reads while the five are down");
      victims.forEach(LabProcess::restart);
      victims.forEach(v -> v.awaitReady(Cluster.READY));
      for (LabProcess v : victims) {
        Matcher restored = Pattern.compile("records_restored=(\\d+)/(\\d+)").matcher(v.output());
        assertTrue(restored.find(), v + " logged no records_restored");
        assertTrue(Integer.parseInt(restored.group(1)) > 0, v + " restored " + restored.group()); // less expired
        assertTrue(Cluster.sees(v, "744-196884-400", "Crash Probe"), v + " after restart");
      }
      for (LabProcess n : cluster.nodes) {
        assertTrue(Cluster.sees(n, "744-196884-400", "Crash Probe"), "network-wide, from " + n);
      }
    } finally {
      running.set(false);
      reader.join(60_000);
    }
    double availability = 100.0 * (reads.get() - misses.get()) / reads.get();
    Results.record("crash", String.format("kill -9 of 5 of the 20 nodes holding a record, then restart: "
        + "availability %.1f%% (%d of %d reads through survivors' gateways found it); the 5 restored their records "
        + "from disk and all 20 find it", availability, reads.get() - misses.get(), reads.get()));
    assertEquals(0, misses.get(), "reads that missed the record during the crash");
  }

  @Test
  @Order(2)
  void churnKeepsLookupsWorking() throws Exception {
    List<LabProcess> agents = new ArrayList<>();
    String[] names = {"Churn A", "Churn B", "Churn C"};
    for (int i = 0; i < 3; i++) { // one at a time: the CLI gives its UDP socket 10 s to open, a starved CPU may not
      LabProcess a = lab.host(HOSTS.get(i)).start("churn-agent", List.of("announce", "744-196884-50" + i, "--name",
          names[i], "--for", "900", "--timeout", "60", "--bootstrap", seeds));
      a.awaitOutput("announced on", Duration.ofSeconds(180));
      agents.add(a);
    }
    long durationMillis = Math.round(60_000 * Results.scale());
    int replacements = (int) Math.round(8 * Results.scale()); // 8 of 20 in a minute: 40% turnover
    long period = durationMillis / replacements;
    Random random = new Random(41);
    List<LabProcess> serving = new CopyOnWriteArrayList<>(cluster.nodes.stream().filter(LabProcess::isAlive)
        .toList());
    AtomicInteger lookups = new AtomicInteger();
    AtomicInteger found = new AtomicInteger();
    AtomicInteger gatewayGone = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread reader = new Thread(() -> {
      Random r = new Random(43);
      while (running.get()) {
        LabProcess via = serving.get(r.nextInt(serving.size()));
        int which = r.nextInt(3);
        boolean ok = Cluster.sees(via, "744-196884-50" + which, names[which]);
        if (!via.isAlive() || !serving.contains(via)) {
          gatewayGone.incrementAndGet(); // the node we asked was killed meanwhile: not a lookup failure
          continue;
        }
        lookups.incrementAndGet();
        if (ok) {
          found.incrementAndGet();
        }
      }
    }, "churn-reader");
    reader.start();
    long start = System.nanoTime();
    int nextIndex = 5;
    List<Thread> joiners = new ArrayList<>();
    try {
      for (int i = 0; i < replacements; i++) {
        LabProcess victim;
        do {
          victim = serving.get(random.nextInt(serving.size()));
        } while (isSeed(victim));
        serving.remove(victim);
        victim.kill9();
        LabProcess fresh = cluster.add(HOSTS.get(i % HOSTS.size()), nextIndex++, seeds);
        Thread j = new Thread(() -> {
          fresh.awaitReady(Cluster.READY);
          serving.add(fresh);
        }, "churn-join");
        j.start();
        joiners.add(j);
        long next = start + (i + 1) * period * 1_000_000L;
        long left = (next - System.nanoTime()) / 1_000_000;
        if (left > 0) {
          Thread.sleep(left); // the churn's steady rate is the scenario
        }
      }
    } finally {
      running.set(false);
      reader.join(60_000);
      for (Thread j : joiners) {
        j.join(120_000);
      }
    }
    double rate = 100.0 * found.get() / Math.max(1, lookups.get());
    Metrics.save(lab, cluster.nodes, 8440);
    Results.record("churn", String.format("%d of 20 node processes killed -9 and replaced by fresh ones over %d s "
        + "(one every %.1f s): lookups succeeded %.1f%% (%d of %d through random gateways; %d more were cut by "
        + "their gateway's own kill)", replacements, durationMillis / 1000, period / 1000.0, rate, found.get(),
        lookups.get(), gatewayGone.get()));
    assertTrue(lookups.get() >= 10, "lookups ran: " + lookups.get());
    assertTrue(rate >= 90, "success rate " + rate + "% under churn");
  }

  private List<LabProcess> awaitHolders(int atLeast, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      List<LabProcess> holders = cluster.nodes.stream().filter(n -> !isSeed(n)).filter(this::holds).toList();
      if (holders.size() >= atLeast) {
        return holders;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + holders.size() + " nodes hold the record on disk after " + limit);
      }
      LabHost.sleepBriefly();
    }
  }

  /** The two nodes every agent joins through (node0 on h1 and h3) are never killed. */
  private static boolean isSeed(LabProcess n) {
    return n.label().equals("node0") && (n.host().name().equals("h1") || n.host().name().equals("h3"));
  }

  /** Whether the node's flushed store holds the probe record (its payload carries the name as text). */
  private boolean holds(LabProcess node) {
    Path store = node.host().dir().resolve(node.label()).resolve("records.cbor");
    try {
      return new String(Files.readAllBytes(store), StandardCharsets.ISO_8859_1).contains("Crash Probe");
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitCondition(java.util.function.BooleanSupplier c, Duration limit, String what) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit + ": " + what);
      }
      LabHost.sleepBriefly();
    }
  }
}
