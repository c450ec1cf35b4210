package org.dialtone.testbed;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dialtone.testbed.linux.Shell;

/**
 * Proves that a lab behaves as labelled, with real UDP packets: a cone NAT keeps one external port across
 * destinations, a symmetric NAT does not, both drop unsolicited inbound packets (seen dropped by the router's own
 * counter), a routed LAN is reachable; a line's delay is what was configured and its loss is near the configured
 * rate. Run it with {@code testbed/lab check}, or {@code main}.
 */
public final class LabCheck {
  /** The lab the check builds: 3 public hosts, one LAN behind each NAT type, 20 ± 5 ms lines. */
  public static final LinkSpec LINE = LinkSpec.delay(20, 5);

  /** One checked property. */
  public record Finding(String property, String expected, String observed, boolean pass) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-4s %-44s expected %-28s observed %s", pass ? "ok" : "FAIL", property,
          expected, observed);
    }
  }

  private LabCheck() {}

  public static LabSpec spec() {
    return LabSpec.builder().links(LINE).seed(7)
        .publicHosts("ra", "rb", "stranger")
        .router("cone", NatType.CONE).lanHost("conehost", "cone")
        .router("sym", NatType.SYMMETRIC).lanHost("symhost", "sym")
        .router("open", NatType.NONE).lanHost("openhost", "open")
        .build();
  }

  /** Builds the check lab under {@code dir}, checks it, and returns the findings. */
  public static List<Finding> run(Path dir) throws Exception {
    try (Lab lab = Lab.start(spec(), dir)) {
      List<Finding> out = new ArrayList<>();
      out.addAll(natBehaviour(lab, "conehost", NatType.CONE));
      out.addAll(natBehaviour(lab, "symhost", NatType.SYMMETRIC));
      out.addAll(natBehaviour(lab, "openhost", NatType.NONE));
      out.add(delay(lab));
      out.add(loss(lab));
      StringBuilder report = new StringBuilder("# testbed check\n");
      out.forEach(f -> report.append(f).append('\n'));
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("check.txt"), report.toString());
      return out;
    }
  }

  private static List<Finding> natBehaviour(Lab lab, String hostName, NatType nat) throws Exception {
    LabHost host = lab.host(hostName);
    List<Finding> out = new ArrayList<>();
    try (DatagramSocket client = host.udpSocket(0);
        DatagramSocket ra = lab.host("ra").udpSocket(3478);
        DatagramSocket rb = lab.host("rb").udpSocket(3478);
        DatagramSocket stranger = lab.host("stranger").udpSocket(3478)) {
      client.setSoTimeout(5000);
      InetSocketAddress seenByA = exchange(client, ra, lab.host("ra"));
      InetSocketAddress seenByB = exchange(client, rb, lab.host("rb"));
      String observed = seenByA + " / " + seenByB;
      switch (nat) {
        case CONE -> out.add(new Finding("cone: one external port for 2 destinations",
            "same port, router's address", observed, seenByA.equals(seenByB)
                && seenByA.getAddress().getHostAddress().equals(host.internetAddress())));
        case SYMMETRIC -> out.add(new Finding("symmetric: a new port per destination",
            "different ports", observed, seenByA.getPort() != seenByB.getPort()
                && seenByA.getAddress().getHostAddress().equals(host.internetAddress())));
        case NONE -> out.add(new Finding("routed: seen as its own address", host.address() + ":"
            + client.getLocalPort(), observed, seenByA.equals(new InetSocketAddress(host.address(),
                client.getLocalPort()))));
      }
      // Unsolicited: the stranger sends to where ra saw the client; then ra itself sends a marker.
      long droppedBefore = dropped(lab, host);
      send(stranger, seenByA, "unsolicited");
      boolean filtered = nat != NatType.NONE;
      if (filtered) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (dropped(lab, host) <= droppedBefore && System.nanoTime() < deadline) {
          LabHost.sleepBriefly();
        }
      }
      send(ra, seenByA, "marker");
      String first = receive(client).text();
      String second = filtered ? "" : receive(client).text();
      String property = nat.name().toLowerCase(Locale.ROOT) + ": unsolicited inbound "
          + (filtered ? "dropped" : "delivered");
      long droppedNow = dropped(lab, host);
      if (filtered) {
        out.add(new Finding(property, "router drops it, marker arrives",
            "router dropped " + (droppedNow - droppedBefore) + ", first received '" + first + "'",
            droppedNow > droppedBefore && first.equals("marker")));
      } else {
        out.add(new Finding(property, "both arrive", "'" + first + "', '" + second + "'",
            List.of(first, second).containsAll(List.of("unsolicited", "marker"))));
      }
    }
    return out;
  }

  /** Sends from {@code client} to a reflector socket and answers with what it saw: the client's outside address. */
  private static InetSocketAddress exchange(DatagramSocket client, DatagramSocket reflector, LabHost at)
      throws Exception {
    send(client, new InetSocketAddress(at.address(), reflector.getLocalPort()), "hello");
    reflector.setSoTimeout(5000);
    Received r = receive(reflector);
    send(reflector, r.from(), "you are " + r.from());
    receive(client);
    return r.from();
  }

  private static long dropped(Lab lab, LabHost host) {
    String router = lab.spec().machine(host.name()).filter(m -> m instanceof LabSpec.LanHost)
        .map(m -> ((LabSpec.LanHost) m).router()).orElseThrow();
    String rules = Shell.tryRun("", "ip", "netns", "exec", lab.namespaceOf(router), "nft", "list", "table",
        "inet", "dtfilter").stdout();
    long total = 0;
    var m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(rules);
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    return total;
  }

  private static Finding delay(Lab lab) throws Exception {
    int pings = 40;
    double expectedMs = 4 * LINE.delayMillis(); // ra's line and rb's line, there and back
    double minPossibleMs = 4 * (LINE.delayMillis() - LINE.jitterMillis());
    List<Double> rtts = new ArrayList<>();
    try (DatagramSocket a = lab.host("ra").udpSocket(0); DatagramSocket b = lab.host("rb").udpSocket(0)) {
      a.setSoTimeout(5000);
      b.setSoTimeout(5000);
      InetSocketAddress bAddr = new InetSocketAddress(lab.host("rb").address(), b.getLocalPort());
      for (int i = 0; i < pings; i++) {
        long t0 = System.nanoTime();
        send(a, bAddr, "ping " + i);
        Received r = receive(b);
        send(b, r.from(), "pong " + i);
        receive(a);
        rtts.add((System.nanoTime() - t0) / 1e6);
      }
    }
    double mean = rtts.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double min = rtts.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = rtts.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    // The floor is guaranteed by construction; the mean may drift up with scheduling on a loaded machine.
    boolean pass = min >= minPossibleMs - 0.5 && mean <= expectedMs + 40;
    return new Finding("delay: RTT across two 20±5 ms lines", String.format(Locale.ROOT, "mean %.0f ms, min >= %.0f",
        expectedMs, minPossibleMs), String.format(Locale.ROOT, "mean %.1f min %.1f max %.1f ms (%d pings)", mean,
        min, max, pings), pass);
  }

  private static Finding loss(Lab lab) throws Exception {
    double percent = 20;
    int sent = 1000;
    lab.loss("rb", percent);
    int got = 0;
    try (DatagramSocket a = lab.host("ra").udpSocket(0); DatagramSocket b = lab.host("rb").udpSocket(0)) {
      b.setReceiveBufferSize(4 << 20);
      InetSocketAddress bAddr = new InetSocketAddress(lab.host("rb").address(), b.getLocalPort());
      for (int i = 0; i < sent; i++) {
        send(a, bAddr, "n" + i);
        if (i % 20 == 19) {
          Thread.sleep(2); // paced: a burst of 1000 would overflow queues, which is not the loss measured here
        }
      }
      b.setSoTimeout(1000); // after a second of silence everything still in flight has long arrived (delay ~45 ms)
      try {
        while (got < sent) {
          receive(b);
          got++;
        }
      } catch (SocketTimeoutException done) {
        // counted
      }
    } finally {
      lab.loss("rb", 0);
    }
    double lost = 100.0 * (sent - got) / sent;
    return new Finding("loss: nftables numgen on rb's line", String.format(Locale.ROOT, "%.0f%% ± 5", percent),
        String.format(Locale.ROOT, "%.1f%% of %d lost", lost, sent), Math.abs(lost - percent) <= 5);
  }

  private record Received(String text, InetSocketAddress from) {}

  private static void send(DatagramSocket s, InetSocketAddress to, String text) throws Exception {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    s.send(new DatagramPacket(b, b.length, to));
  }

  private static Received receive(DatagramSocket s) throws Exception {
    byte[] buf = new byte[1500];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    s.receive(p);
    return new Received(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8),
        (InetSocketAddress) p.getSocketAddress());
  }

  /** {@code testbed/lab check}: builds the check lab, prints the findings, exits 1 if one fails. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "testbed/target/lab-check");
    List<Finding> findings;
    try {
      findings = run(dir);
    } catch (LabUnavailableException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    findings.forEach(System.out::println);
    System.exit(findings.stream().allMatch(Finding::pass) ? 0 : 1);
  }
}
