package org.dialtone.node.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dialtone.node.gateway.Inputs;
import org.dialtone.dht.net.PeerAddress;
import picocli.CommandLine.Option;

/** The options every agent command shares. */
public final class AgentOptions {
  /** Where an agent joins when neither --bootstrap nor the LAN names a node: a node on this machine. */
  static final String LOCAL_NODE = "127.0.0.1:7440";
  /** How long an agent command asks the LAN for a node when no --bootstrap is given, and the pause after a reply. */
  static final Duration LAN_WAIT = Duration.ofMillis(1000);
  static final Duration LAN_SETTLE = Duration.ofMillis(200);

  @Option(names = "--bootstrap", split = ",", paramLabel = "HOST:PORT",
      description = "bootstrap peers, comma-separated; host names and [IPv6]:port work (default: the nodes found "
          + "on the LAN by mDNS within a second, else " + LOCAL_NODE + "; env DIALTONE_BOOTSTRAP)")
  List<String> bootstrap = new ArrayList<>();

  @Option(names = "--no-lan", description = "without --bootstrap, do not ask the LAN for a node (mDNS): join "
      + "through " + LOCAL_NODE)
  boolean noLan;

  @Option(names = {"--as", "--profile"}, paramLabel = "PROFILE",
      description = "act as this named agent: its own key and saved name, so several agents can run side by side "
          + "(default: default; env DIALTONE_PROFILE)")
  String profile;

  @Option(names = "--config-dir", paramLabel = "DIR",
      description = "where the profiles' keys live (default: $XDG_CONFIG_HOME/dialtone or ~/.config/dialtone; "
          + "env DIALTONE_CONFIG_DIR)")
  Path configDir;

  @Option(names = "--name", description = "display name, remembered by the profile (default: the profile's saved "
      + "name, else agent-<first 8 hex digits of the key>)")
  String name;

  @Option(names = "--json", description = "print JSON for scripts")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "how long to wait for the bootstrap peers and for each answer (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(names = "--log-level", defaultValue = "WARN", description = "ERROR, WARN, INFO, DEBUG (default: WARN)")
  String logLevel;

  @Option(names = "--log-format", defaultValue = "text", paramLabel = "FORMAT",
      description = "text (key=value) or json, one line per event either way (default: text)")
  String logFormat;

  /** What {@link #seeds()} found (asked once: the LAN lookup takes up to a second). */
  private List<PeerAddress> seedsFound;
  /** Set by {@code host} and {@code connect}: they can go on without a node, on the LAN alone. */
  private boolean lanOnlyWanted;

  /** When no node answers, go on for the LAN alone (with LAN discovery on and no --bootstrap given). */
  void allowLanOnly() {
    lanOnlyWanted = true;
  }

  /** Whether LAN discovery is on for this command (not --no-lan). */
  boolean lan() {
    return !noLan;
  }

  private boolean lanOnlyAllowed() {
    return lanOnlyWanted && !noLan && bootstrap.isEmpty();
  }

  List<PeerAddress> seeds() {
    if (seedsFound == null) {
      seedsFound = findSeeds();
    }
    return seedsFound;
  }

  private List<PeerAddress> findSeeds() {
    if (bootstrap.isEmpty()) {
      List<PeerAddress> onLan = noLan ? List.of()
          : org.dialtone.node.lan.LanService.lookup(LAN_WAIT, LAN_SETTLE);
      return onLan.isEmpty() ? List.of(PeerAddress.parse(LOCAL_NODE)) : onLan;
    }
    List<PeerAddress> out = HostPorts.parse("--bootstrap", bootstrap);
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

  Profile profile() {
    return Profile.of(configDir(), profile);
  }

  Progress progress() {
    return Progress.to(System.err, !json && Progress.interactive());
  }

  /** A session for a command that only reads: any key will do, a temporary one if the profile's cannot be had. */
  AgentSession openReading(PrintWriter err) {
    Profile p = profile();
    return AgentSession.open(seeds(), p.identityOrEphemeral(err),
        org.dialtone.dht.crypto.SequenceFloor.inMemory(), displayName(p, null), List.of(), timeout(),
        progress(), lanOnlyAllowed());
  }

  /** A session that publishes as the profile: its key, its lock, its remembered name and interests. */
  AgentSession openPublishing(List<String> interests, String what) {
    Profile p = profile();
    List<PeerAddress> seeds = seeds();
    Duration timeout = timeout();
    AutoCloseable lock = p.lockForPublishing(what);
    try {
      var identity = p.identity();
      Profile.Saved saved = p.saved();
      List<String> useInterests = interests.isEmpty() ? saved.interests() : interests;
      String display = name != null && !name.isBlank() ? name : saved.displayName().orElse(null);
      if (name != null && !name.isBlank() || !interests.isEmpty()) {
        String toSave = display != null ? display : defaultName(identity.publicKey().toHex());
        Inputs.profile(toSave, useInterests); // refuse a bad name before remembering it
        p.save(toSave, useInterests);
      }
      AgentSession s = AgentSession.open(seeds, identity, p.sequenceFloor(),
          display != null ? display : defaultName(identity.publicKey().toHex()), useInterests, timeout, progress(),
          lanOnlyAllowed());
      s.holding(lock);
      return s;
    } catch (RuntimeException e) {
      try {
        lock.close();
      } catch (Exception ignored) {
        // releasing
      }
      throw e;
    }
  }

  private String displayName(Profile p, Object unused) {
    return name != null && !name.isBlank() ? name : p.saved().displayName().orElse(null);
  }

  static String defaultName(String keyHex) {
    return "agent-" + keyHex.substring(0, 8);
  }
}
