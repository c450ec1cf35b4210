package org.dialtone.node.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.dialtone.agent.reach.relay.RelayLimits;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.node.runner.NodeRunner;
import org.dialtone.node.runner.NodeSettings;
import org.dialtone.node.log.StructuredLog;
import org.dialtone.node.state.FsErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dialtone node}: a bootstrap node, or any long-running DHT node, with its gateway. */
@Command(name = "node", mixinStandardHelpOptions = true, description = {
    "Runs a DHT node (a bootstrap node) with the HTTP gateway, until SIGTERM or Ctrl-C (then exits 0).",
    "Every option can also be set as DIALTONE_<OPTION> (DIALTONE_HTTP_PORT=8441) or in a properties file "
        + "(--config FILE or DIALTONE_CONFIG; keys are option names: http-port=8441). Flags win, then the "
        + "environment, then the file. An unknown key or DIALTONE_ variable is an error."})
public final class NodeCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = NodeSettings.DEFAULT_HOST,
      description = "address to bind UDP and HTTP to (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface; "
          + "IPV4,IPV6 for a dual-stack node: UDP on both, HTTP on the first)")
  String host;

  @Option(names = "--port", defaultValue = "7440", description = "UDP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--http-port", defaultValue = "8440",
      description = "gateway HTTP port (default: ${DEFAULT-VALUE}; -1: no gateway)")
  int httpPort;

  @Option(names = "--stun-port", defaultValue = "3478",
      description = "UDP port answering STUN Binding requests, so browsers learn their public address from this node "
          + "(default: ${DEFAULT-VALUE}; -1: no STUN; a port already taken is logged and skipped)")
  int stunPort;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "identity, contacts and records (default: "
      + "$XDG_DATA_HOME/dialtone/node-<port>, or ~/.local/share/dialtone/node-<port>)")
  Path dataDir;

  @Option(names = "--bootstrap", split = ",", paramLabel = "HOST:PORT",
      description = "peers to join through, host names work (default: none: the first node of a network, or the "
          + "saved contacts)")
  List<String> bootstrap = new ArrayList<>();

  @Option(names = "--advertise", paramLabel = "HOST:PORT",
      description = "UDP address announced on 744-196884-0 (default: --host:--port; required with 0.0.0.0)")
  String advertise;

  @Option(names = "--flush-interval", paramLabel = "SECONDS", defaultValue = "5",
      description = "write contacts and records this often when changed (default: ${DEFAULT-VALUE})")
  int flushSeconds;

  @Option(names = "--no-lan", description = "do not find or announce nodes on the LAN by mDNS (it runs only when "
      + "--host is a private address or 0.0.0.0; see docs/operators.md)")
  boolean noLan;

  @Option(names = "--relay", arity = "1", defaultValue = "true", paramLabel = "true|false",
      description = "relay for agents behind NATs, on TCP at the --port number (default: ${DEFAULT-VALUE})")
  boolean relay;

  @Option(names = "--relay-max-reservations", paramLabel = "N", defaultValue = "128",
      description = "agents that may reserve here at once (default: ${DEFAULT-VALUE}; 8 per /24)")
  int relayMaxReservations;

  @Option(names = "--relay-max-circuits", paramLabel = "N", defaultValue = "16",
      description = "relayed connections open at once (default: ${DEFAULT-VALUE}; 4 per agent, 4 per dialler /24)")
  int relayMaxCircuits;

  @Option(names = "--relay-circuit-seconds", paramLabel = "SECONDS", defaultValue = "1800",
      description = "a relayed connection's longest life (default: ${DEFAULT-VALUE})")
  long relayCircuitSeconds;

  @Option(names = "--relay-circuit-mib", paramLabel = "MIB", defaultValue = "1024",
      description = "bytes a relayed connection may carry, both ways, in MiB (default: ${DEFAULT-VALUE})")
  long relayCircuitMib;

  @Option(names = "--log-level", defaultValue = "INFO", description = "ERROR, WARN, INFO, DEBUG (default: INFO)")
  String logLevel;

  @Option(names = "--log-format", defaultValue = "text", paramLabel = "FORMAT",
      description = "text (key=value) or json, one line per event either way (default: ${DEFAULT-VALUE})")
  String logFormat;

  @Option(names = "--config", paramLabel = "FILE", description = "a properties file of option defaults")
  Path config;

  @Override
  public Integer call() throws Exception {
    NodeSettings settings;
    try {
      StructuredLog.configure(logLevel, logFormat, System.err);
      List<PeerAddress> seeds = HostPorts.parse("--bootstrap", bootstrap);
      if (stunPort < -1 || stunPort > 65535) {
        throw new IllegalArgumentException("--stun-port " + stunPort + " is not a port (0..65535, or -1 for none)");
      }
      settings = new NodeSettings(host, port, httpPort, dataDir != null ? dataDir : defaultDataDir(port), seeds,
          Optional.ofNullable(advertise).map(PeerAddress::parse), Duration.ofSeconds(flushSeconds), !noLan,
          relayLimits());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new CliError("BAD_OPTION", e.getMessage(), CliError.EXIT_USAGE);
    }
    NodeRunner runner;
    try {
      runner = NodeRunner.start(settings);
    } catch (java.io.IOException e) {
      throw new CliError("START_FAILED", e instanceof java.nio.file.FileSystemException fse
          ? "data directory " + FsErrors.describe(fse) : StructuredLog.causeChain(e), CliError.EXIT_FAILED);
    }
    int stun = stunPort >= 0 ? runner.startStun(stunPort) : -1;
    Signals signals = Signals.install(); // before the banner: a stop from then on is clean
    System.out.println("dialtone node " + runner.node().id().toHex().substring(0, 16) + " udp "
        + String.join(",", runner.node().addresses().stream().map(Object::toString).toList())
        + (runner.httpPort() >= 0 ? " http " + bracketed(settings.firstHost()) + ":" + runner.httpPort()
        : "") + (stun >= 0 ? " stun " + bracketed(settings.firstHost()) + ":" + stun : "") + " data "
        + runner.dataDir().path());
    System.out.flush();
    signals.runUntilStopped(0, runner::close);
    return 0;
  }

  /** An IPv6 literal in brackets, as in {@code [::1]:8440}. */
  static String bracketed(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private RelayLimits relayLimits() {
    RelayLimits d = RelayLimits.defaults();
    RelayLimits limits = new RelayLimits(true, relayMaxReservations, d.maxReservationsPerSubnet(),
        d.reservationTtlMillis(), relayMaxCircuits, d.maxCircuitsPerPeer(), d.maxCircuitsPerSubnet(),
        Math.multiplyExact(relayCircuitSeconds, 1000L), Math.multiplyExact(relayCircuitMib, 1L << 20));
    return relay ? limits : limits.disabled();
  }

  static Path defaultDataDir(int port) {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("dialtone").resolve("node-" + port);
  }
}
