package org.dialtone.node.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dialtone.dht.net.PeerAddress;
import picocli.CommandLine.Option;

/** The options every agent command shares. */
public final class AgentOptions {
  @Option(names = "--bootstrap", split = ",", paramLabel = "HOST:PORT",
      description = "bootstrap peers, comma-separated (default: ${DEFAULT-VALUE}; env DIALTONE_BOOTSTRAP)",
      defaultValue = "127.0.0.1:7440")
  List<String> bootstrap = new ArrayList<>();

  @Option(names = "--config-dir", paramLabel = "DIR",
      description = "where the agent's identity (agent.key) lives (default: $XDG_CONFIG_HOME/dialtone or "
          + "~/.config/dialtone; env DIALTONE_CONFIG_DIR)")
  Path configDir;

  @Option(names = "--name", description = "display name (default: agent-<first 8 hex digits of the key>)")
  String name;

  @Option(names = "--json", description = "print JSON for scripts")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "how long to wait for the bootstrap peers and for each answer (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(names = "--log-level", defaultValue = "WARN", description = "ERROR, WARN, INFO, DEBUG (default: WARN)")
  String logLevel;

  List<PeerAddress> seeds() {
    List<PeerAddress> out = new ArrayList<>();
    for (String s : bootstrap) {
      try {
        out.add(PeerAddress.parse(s.strip()));
      } catch (IllegalArgumentException e) {
        throw new CliError("BAD_BOOTSTRAP", "'" + s + "' is not host:port (" + e.getMessage() + ")",
            CliError.EXIT_USAGE);
      }
    }
    if (out.isEmpty()) {
      throw new CliError("BAD_BOOTSTRAP", "no bootstrap peers given", CliError.EXIT_USAGE);
    }
    return out;
  }

  Duration timeout() {
    if (timeoutSeconds < 1) {
      throw new CliError("BAD_TIMEOUT", "--timeout must be at least 1 second", CliError.EXIT_USAGE);
    }
    return Duration.ofSeconds(timeoutSeconds);
  }

  Path configDir() {
    if (configDir != null) {
      return configDir;
    }
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("dialtone");
  }

  AgentSession open(List<String> interests) {
    return AgentSession.open(seeds(), configDir(), name, interests, timeout());
  }
}
