package org.dialtone.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Collectors;
import org.dialtone.testbed.LabSpec.LanHost;
import org.dialtone.testbed.LabSpec.Machine;
import org.dialtone.testbed.LabSpec.PublicHost;
import org.dialtone.testbed.LabSpec.Router;
import org.dialtone.testbed.linux.LinkShaper;
import org.dialtone.testbed.linux.Netns;
import org.dialtone.testbed.linux.Shell;
import org.dialtone.testbed.linux.Tun;

/**
 * A running lab: one network namespace per machine of a {@link LabSpec}, plus one for the internet's core router.
 *
 * <p>Topology. Each public host and each home router has a line to the core: a TUN device in its namespace
 * ({@code wan0}, address 10.77.0.x/32 for a public host, 10.77.(100+n).2/32 for the n-th home router: a /24 per
 * home; default route) and one in the core ({@code up<i>}), joined by a
 * {@link LinkShaper} in this JVM that delays, jitters and reorders. Loss and partitions are nftables rules in the
 * core's forward chain ({@code numgen random} per line, address sets per partition), so they change on the fly.
 * A router bridges its LAN (192.168.n.0/24, router at .1) and translates with nftables as its {@link NatType} says;
 * LAN hosts hang on that bridge by veth pairs. No address outside 10.77/16 and 192.168/16 is configured, and no
 * device is created outside the lab's namespaces: nothing is routed to or through the machine's own interfaces.
 *
 * <p>IPv6. A public host may be IPv6-only or dual-stack ({@link LabSpec.Family}): its line then also carries a
 * unique local address {@code fd77:<site>:0:<line>::2/128} ({@link LabAddresses#ipv6}), routed by the core like the IPv4
 * ones (the lines carry whole IP packets of either version). Routers and their LANs stay IPv4. Partitions cut IPv4
 * only; loss applies to both families.
 *
 * <p>Cleanup. {@link #close()} kills every process the lab started, stops the lines and deletes every namespace; a
 * JVM shutdown hook does the same when a run is interrupted; and {@link #start} first sweeps the namespaces of earlier
 * runs whose JVM is gone (named {@code dt-<pid>-...}), so a run after a crashed one starts clean.
 */
public final class Lab implements AutoCloseable {
  /** The internet's prefix; a public host's line gets 10.77.0.(2+i), the n-th home router 10.77.(100+n).2. */
  public static final String INTERNET_PREFIX = "10.77.";
  private static final Set<Lab> OPEN = ConcurrentHashMap.newKeySet();
  private static final Object HOOK_LOCK = new Object();
  private static boolean hookInstalled;

  private final LabSpec spec;
  private final Path dir;
  private final long pid = ProcessHandle.current().pid();
  private final String core;
  private final ScheduledThreadPoolExecutor wire;
  private final List<String> namespaces = new ArrayList<>();
  private final Map<String, LabHost> hosts = new LinkedHashMap<>();
  private final Map<String, LinkShaper> shapers = new LinkedHashMap<>();
  private final Map<String, String> coreIface = new LinkedHashMap<>();
  private final Map<String, String> wanAddress = new LinkedHashMap<>();
  private final Map<String, LinkSpec> lines = new ConcurrentHashMap<>();
  private final List<LabProcess> processes = new ArrayList<>();
  private volatile boolean closed;

  private Lab(LabSpec spec, Path dir) {
    this.spec = spec;
    this.dir = dir;
    this.core = Namespaces.name(pid, "net");
    this.wire = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = Executors.defaultThreadFactory().newThread(r);
      t.setName("lab-wire");
      t.setDaemon(true);
      t.setPriority(Thread.MAX_PRIORITY); // delays should be what was configured, even on a loaded machine
      return t;
    });
    wire.setRemoveOnCancelPolicy(true);
  }

  /**
   * Builds the lab of {@code spec}, logs and results under {@code dir}. Fails with {@link LabUnavailableException}
   * (one line saying what is missing) where namespaces cannot be made.
   */
  public static Lab start(LabSpec spec, Path dir) {
    requireSupport();
    Namespaces.sweepStale();
    Lab lab = new Lab(spec, dir);
    installHook();
    OPEN.add(lab);
    try {
      deleteRecursively(dir); // a lab starts from nothing: no data directory, key or log of an earlier run
      Files.createDirectories(dir);
      lab.build();
      return lab;
    } catch (RuntimeException | IOException e) {
      lab.close();
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Throws {@link LabUnavailableException} with one clear line unless this machine can run labs. */
  public static void requireSupport() {
    String hint = " (the testbed needs root, iproute2 and nftables: run scripts/install-test-deps.sh as root; "
        + "set DIALTONE_NO_NETNS=1 to skip the testbed's tests on purpose)";
    if (!"0".equals(Shell.tryRun("", "id", "-u").stdout().strip())) {
      throw new LabUnavailableException("testbed: not running as root" + hint);
    }
    for (String tool : List.of("ip", "nft")) {
      if (!Shell.tryRun("", "sh", "-c", "command -v " + tool).ok()) {
        throw new LabUnavailableException("testbed: '" + tool + "' not found" + hint);
      }
    }
    String probe = Namespaces.name(ProcessHandle.current().pid(), "probe");
    Shell.Result r = Shell.tryRun("", "ip", "netns", "add", probe);
    if (!r.ok()) {
      throw new LabUnavailableException("testbed: cannot create network namespaces: " + r.stderr().strip() + hint);
    }
    Shell.Result nft = Shell.tryRun("table inet dtprobe { }\n", "ip", "netns", "exec", probe, "nft", "-f", "-");
    Shell.tryRun("", "ip", "netns", "del", probe);
    if (!nft.ok()) {
      throw new LabUnavailableException("testbed: nftables does not work here: " + nft.stderr().strip() + hint);
    }
  }

  private static void installHook() {
    synchronized (HOOK_LOCK) {
      if (!hookInstalled) {
        hookInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(Lab::close), "lab-cleanup"));
      }
    }
  }

  private void build() throws IOException {
    addNamespace(core);
    Shell.sysctl(core, "net.ipv4.ip_forward=1");
    Shell.sysctl(core, "net.ipv4.conf.all.rp_filter=0");
    Shell.sysctl(core, "net.ipv4.conf.default.rp_filter=0");
    Shell.sysctl(core, "net.ipv6.conf.all.forwarding=1");
    Shell.run("ip", "-n", core, "addr", "add", "10.77.255.254/32", "dev", "lo");
    Shell.nft(core, """
        table inet dt {
          chain forward { type filter hook forward priority 0; policy accept; jump partition; jump loss; }
          chain partition { }
          chain loss { }
        }
        """);
    int line = 0;
    int lan = 0;
    Map<String, Integer> lanOf = new LinkedHashMap<>();
    Map<String, Integer> hostsOnLan = new LinkedHashMap<>();
    for (Machine m : spec.machines()) {
      String ns = Namespaces.name(pid, m.name());
      if (m instanceof PublicHost p) {
        String addr = p.family().hasIpv4() ? LabAddresses.publicHost(line) : null;
        String addr6 = p.family().hasIpv6() ? LabAddresses.ipv6(p.site(), line) : null;
        addNamespace(ns);
        connectToCore(m.name(), ns, line++, addr, addr6);
        String first = addr != null ? addr : addr6;
        hosts.put(m.name(), new LabHost(this, m.name(), ns, first, first, java.util.Optional.ofNullable(addr6)));
      } else if (m instanceof Router r) {
        int n = ++lan;
        String addr = LabAddresses.homeRouter(n);
        lanOf.put(r.name(), n);
        hostsOnLan.put(r.name(), 0);
        addNamespace(ns);
        connectToCore(m.name(), ns, line++, addr, null);
        HomeRouter.build(r.nat(), ns, n);
        if (r.nat() == NatType.NONE) {
          Shell.run("ip", "-n", core, "route", "add", "192.168." + n + ".0/24", "via", addr,
              "dev", coreIface.get(r.name()), "onlink");
        }
      } else if (m instanceof LanHost h) {
        int n = lanOf.get(h.router());
        int k = hostsOnLan.merge(h.router(), 1, Integer::sum);
        String addr = "192.168." + n + "." + (9 + k);
        String routerNs = Namespaces.name(pid, h.router());
        addNamespace(ns);
        Shell.run("ip", "-n", routerNs, "link", "add", "lan" + k, "type", "veth", "peer", "name", "eth0",
            "netns", ns);
        Shell.run("ip", "-n", routerNs, "link", "set", "lan" + k, "master", "br0", "up");
        Shell.run("ip", "-n", ns, "addr", "add", addr + "/24", "dev", "eth0");
        Shell.run("ip", "-n", ns, "link", "set", "eth0", "up");
        Shell.run("ip", "-n", ns, "route", "add", "default", "via", "192.168." + n + ".1");
        hosts.put(m.name(), new LabHost(this, m.name(), ns, addr, wanAddress.get(h.router()),
            java.util.Optional.empty()));
      }
    }
    applyLoss();
  }

  private void addNamespace(String ns) {
    Shell.run("ip", "netns", "add", ns);
    namespaces.add(ns);
    Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
  }

  // A line's IPv4 address (null: an IPv6-only host) and IPv6 address (null: IPv4 only).
  private void connectToCore(String machine, String ns, int line, String addr, String addr6) throws IOException {
    String up = "up" + line;
    Tun outer;
    Tun inner;
    try {
      outer = Netns.call(ns, () -> Tun.create("wan0"));
      inner = Netns.call(core, () -> Tun.create(up));
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
    LinkSpec link = spec.link(machine);
    lines.put(machine, link);
    shapers.put(machine, new LinkShaper(machine, outer, inner, timing(link), wire, spec.seed() * 31 + line));
    coreIface.put(machine, up);
    if (addr != null) {
      wanAddress.put(machine, addr);
      Shell.run("ip", "-n", ns, "addr", "add", addr + "/32", "dev", "wan0");
    }
    // A long queue on both ends: a burst must not be dropped by our wire beyond the loss that was configured.
    Shell.run("ip", "-n", ns, "link", "set", "wan0", "txqueuelen", "10000", "up");
    Shell.run("ip", "-n", core, "link", "set", up, "txqueuelen", "10000", "up");
    if (addr != null) {
      Shell.run("ip", "-n", ns, "route", "add", "default", "dev", "wan0");
      Shell.run("ip", "-n", core, "route", "add", addr + "/32", "dev", up);
    }
    if (addr6 != null) {
      // nodad: usable at once (a tentative address cannot be bound); the TUN line has no neighbours to ask anyway.
      Shell.run("ip", "-n", ns, "-6", "addr", "add", addr6 + "/128", "dev", "wan0", "nodad");
      Shell.run("ip", "-n", ns, "-6", "route", "add", "default", "dev", "wan0");
      Shell.run("ip", "-n", core, "-6", "route", "add", addr6 + "/128", "dev", up);
    }
  }

  private static LinkShaper.Timing timing(LinkSpec l) {
    return new LinkShaper.Timing(Math.round(l.delayMillis() * 1000), Math.round(l.jitterMillis() * 1000),
        l.reorderPercent() / 100);
  }

  /** The lab's description. */
  public LabSpec spec() {
    return spec;
  }

  /** Where logs, metrics and results go. */
  public Path dir() {
    return dir;
  }

  public LabHost host(String name) {
    LabHost h = hosts.get(name);
    if (h == null) {
      throw new IllegalArgumentException("no host named " + name + " (hosts: " + hosts.keySet() + ")");
    }
    return h;
  }

  public Collection<LabHost> hosts() {
    return List.copyOf(hosts.values());
  }

  /** The public address of a public host or router. */
  public String wanAddress(String machine) {
    String a = wanAddress.get(machine);
    if (a == null) {
      throw new IllegalArgumentException(machine + " has no line to the internet");
    }
    return a;
  }

  /** The router namespace, for inspecting its conntrack table ({@code conntrack -L}). */
  public String namespaceOf(String machine) {
    return Namespaces.name(pid, machine);
  }

  /** Changes the loss of one line (a public host or a router), now. */
  public synchronized void loss(String machine, double percent) {
    LinkSpec l = lines.get(machine);
    if (l == null) {
      throw new IllegalArgumentException(machine + " has no line to the internet");
    }
    lines.put(machine, l.withLoss(percent));
    applyLoss();
  }

  /** Changes the loss of every line, now. */
  public synchronized void lossEverywhere(double percent) {
    lines.replaceAll((m, l) -> l.withLoss(percent));
    applyLoss();
  }

  /** Changes delay, jitter and reordering of one line from its next packet on. */
  public synchronized void timing(String machine, LinkSpec link) {
    LinkShaper s = shapers.get(machine);
    if (s == null) {
      throw new IllegalArgumentException(machine + " has no line to the internet");
    }
    s.timing(timing(link));
    lines.put(machine, link);
    applyLoss();
  }

  private void applyLoss() {
    StringBuilder script = new StringBuilder("flush chain inet dt loss\n");
    lines.forEach((machine, l) -> {
      if (l.lossPercent() > 0) {
        long perTenThousand = Math.round(l.lossPercent() * 100);
        String iface = coreIface.get(machine);
        for (String dir : List.of("iifname", "oifname")) {
          script.append("add rule inet dt loss ").append(dir).append(" \"").append(iface)
              .append("\" numgen random mod 10000 < ").append(perTenThousand).append(" drop\n");
        }
      }
    });
    Shell.nft(core, script.toString());
  }

  /**
   * Cuts the internet between two groups of machines (public hosts, routers, or LAN hosts, which stand for their
   * router): nothing crosses between the groups until {@link #heal()}; each group still reaches itself.
   */
  public synchronized void partition(Collection<String> groupA, Collection<String> groupB) {
    Set<String> a = internetAddresses(groupA);
    Set<String> b = internetAddresses(groupB);
    if (a.stream().anyMatch(b::contains)) {
      throw new IllegalArgumentException("the groups share a line to the internet: " + groupA + " / " + groupB);
    }
    String sa = String.join(", ", a);
    String sb = String.join(", ", b);
    Shell.nft(core, "add rule inet dt partition ip saddr { " + sa + " } ip daddr { " + sb + " } drop\n"
        + "add rule inet dt partition ip saddr { " + sb + " } ip daddr { " + sa + " } drop\n");
  }

  /** Removes every partition. */
  public synchronized void heal() {
    Shell.nft(core, "flush chain inet dt partition\n");
  }

  private Set<String> internetAddresses(Collection<String> machines) {
    return machines.stream().map(m -> {
      Machine x = spec.machine(m).orElseThrow(() -> new IllegalArgumentException("no machine named " + m));
      return x instanceof LanHost h ? wanAddress(h.router()) : wanAddress(m);
    }).collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  void register(LabProcess p) {
    synchronized (processes) {
      if (closed) {
        p.kill9();
        throw new IllegalStateException("the lab is closed");
      }
      processes.add(p);
    }
  }

  /** Every process started in the lab so far (running or not). */
  public List<LabProcess> processes() {
    synchronized (processes) {
      return List.copyOf(processes);
    }
  }

  /** Kills what the lab started, stops its lines and deletes its namespaces. Safe to call twice. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    synchronized (processes) {
      processes.forEach(LabProcess::kill9);
    }
    wire.shutdownNow();
    shapers.values().forEach(LinkShaper::close);
    for (String ns : namespaces) {
      Namespaces.delete(ns);
    }
    OPEN.remove(this);
  }
}
