package org.dialtone.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.dialtone.testbed.linux.Netns;

/**
 * One machine of a {@link Lab} that runs programs: a public host or a host on a router's LAN. It starts
 * {@code dialtone} processes (nodes, agent commands) in its namespace, and opens sockets there for the test itself.
 * Agent commands run here share one agent identity (its {@code agent.key} in the host's config directory).
 */
public final class LabHost {
  private final Lab lab;
  private final String name;
  private final String namespace;
  private final String address;
  private final String internetAddress;
  private final java.util.Optional<String> ipv6Address;

  LabHost(Lab lab, String name, String namespace, String address, String internetAddress,
      java.util.Optional<String> ipv6Address) {
    this.ipv6Address = ipv6Address;
    this.lab = lab;
    this.name = name;
    this.namespace = namespace;
    this.address = address;
    this.internetAddress = internetAddress;
  }

  public String name() {
    return name;
  }

  /** The host's own address (192.168.x.y on a LAN); an IPv6-only host's IPv6 address. */
  public String address() {
    return address;
  }

  /** The host's IPv6 address (fd77:...), if it has one: an IPv6-only or dual-stack public host. */
  public java.util.Optional<String> ipv6Address() {
    return ipv6Address;
  }

  /**
   * What a node on this host binds ({@code --host}): its address, or for a dual-stack host both, IPv4 first.
   */
  public String nodeHost() {
    return ipv6Address.filter(a6 -> !a6.equals(address)).map(a6 -> address + "," + a6).orElse(address);
  }

  /** {@code address:port} as the CLI takes it: an IPv6 address in brackets. */
  public static String hostPort(String address, int port) {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }

  /** The address the internet sees it as: its own, or its router's behind a NAT. */
  public String internetAddress() {
    return internetAddress;
  }

  public String namespace() {
    return namespace;
  }

  /** This host's working directory: logs, data directories, the agent's config. */
  public Path dir() {
    return lab.dir().resolve(name);
  }

  /**
   * Starts a dialtone node on this host's address, UDP {@code port}, gateway {@code httpPort}, data directory
   * {@code dir()/<label>}, joining through {@code bootstrap} ("ip:port", may be empty for the first node).
   */
  public LabProcess startNode(String label, int port, int httpPort, List<String> bootstrap) {
    List<String> args = new ArrayList<>(List.of("node", "--host", nodeHost(), "--port", String.valueOf(port),
        "--http-port", String.valueOf(httpPort), "--data-dir", dir().resolve(label).toString(),
        "--flush-interval", "1"));
    if (!bootstrap.isEmpty()) {
      args.add("--bootstrap");
      args.add(String.join(",", bootstrap));
    }
    return start(label, args);
  }

  /** Starts {@code dialtone <args>} in this host; its output goes to {@code dir()/<label>.log}. */
  public LabProcess start(String label, List<String> args) {
    LabProcess p = LabProcess.start(this, label, args, true);
    lab.register(p);
    return p;
  }

  /**
   * Starts any command in this host's namespace (your agent: {@code java -jar my-agent.jar ...}); output to
   * {@code dir()/<label>.log}; killed with the lab.
   */
  public LabProcess startCommand(String label, List<String> command) {
    LabProcess p = LabProcess.start(this, label, command, false);
    lab.register(p);
    return p;
  }

  /** Runs {@code dialtone <args>} to its end (at most {@code limit}) and returns what it printed. */
  public LabProcess.Outcome run(Duration limit, String... args) {
    LabProcess p = start("cmd-" + System.nanoTime(), List.of(args));
    return p.awaitExit(limit);
  }

  /**
   * Runs {@code dialtone <args>} again and again until its output satisfies {@code done} or {@code limit} is spent
   * (each run also gets at most {@code limit}): a read over lossy lines can miss a record that fewer nodes answered
   * with, so a test asks again rather than sleep. Returns the last run and how many it took (more than one is a
   * finding to report, not noise).
   */
  public Retried runUntil(Duration limit, Predicate<String> done, String... args) {
    long deadline = System.nanoTime() + limit.toNanos();
    int attempts = 0;
    LabProcess.Outcome outcome;
    do {
      attempts++;
      outcome = run(limit, args);
    } while (!done.test(outcome.output()) && System.nanoTime() < deadline);
    return new Retried(outcome, attempts);
  }

  /** The last run of {@link #runUntil} and how many runs it took. */
  public record Retried(LabProcess.Outcome outcome, int attempts) {}

  /**
   * Runs {@code dialtone <args>} to its end (at most {@code limit}) with standard input read from {@code stdin} and
   * standard output written to {@code stdout}; what it printed on standard error is the outcome's output.
   */
  public LabProcess.Outcome runPiped(Duration limit, Path stdin, Path stdout, String... args) {
    LabProcess p = LabProcess.start(this, "cmd-" + System.nanoTime(), List.of(args), true,
        java.util.Optional.of(stdin), java.util.Optional.of(stdout));
    lab.register(p);
    return p.awaitExit(limit);
  }

  /**
   * Opens a UDP socket bound in this host's namespace ({@code port} 0 for any): bound at creation, so it belongs to
   * the namespace whichever thread uses it later.
   */
  public DatagramSocket udpSocket(int port) throws Exception {
    return Netns.call(namespace, () -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address),
        port)));
  }

  /** An HTTP GET from inside this host's namespace: status and body, or an IOException. */
  public HttpReply httpGet(String host, int port, String path, Duration timeout) throws IOException {
    Socket s;
    try {
      // The descriptor is made by connect (not by new Socket()), so connect runs inside the namespace too.
      s = Netns.call(namespace, () -> {
        Socket inside = new Socket();
        inside.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        return inside;
      });
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
    try (s) {
      boolean ours = s.getLocalAddress().equals(InetAddress.getByName(address))
          || ipv6Address.isPresent() && s.getLocalAddress().equals(InetAddress.getByName(ipv6Address.get()));
      if (!ours && !s.getLocalAddress().isLoopbackAddress()) {
        throw new IllegalStateException("socket of " + name + " bound to " + s.getLocalAddress()
            + ", not to the host's address: it was not made inside namespace " + namespace);
      }
      s.setSoTimeout((int) timeout.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      int headEnd = all.indexOf("\r\n\r\n");
      String head = headEnd < 0 ? all : all.substring(0, headEnd);
      String[] parts = head.lines().findFirst().orElse("").split(" ");
      int status = parts.length > 1 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : -1;
      String raw = headEnd < 0 ? "" : all.substring(headEnd + 4);
      boolean chunked = head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
      String body = chunked ? dechunk(raw) : raw;
      return new HttpReply(status, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
  }

  private static String dechunk(String raw) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < raw.length()) {
      int eol = raw.indexOf("\r\n", i);
      if (eol < 0) {
        break;
      }
      int size = Integer.parseInt(raw.substring(i, eol).split(";")[0].strip(), 16);
      if (size == 0) {
        break;
      }
      out.append(raw, eol + 2, Math.min(raw.length(), eol + 2 + size));
      i = eol + 2 + size + 2;
    }
    return out.toString();
  }

  /** An HTTP answer. */
  public record HttpReply(int status, String body) {}

  Path logFile(String label) throws IOException {
    Files.createDirectories(dir());
    return dir().resolve(label + ".log");
  }

  static void sleepBriefly() {
    try {
      TimeUnit.MILLISECONDS.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "(" + address + ")";
  }
}
