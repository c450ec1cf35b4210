package org.dialtone.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code dialtone} process (the node or an agent command) in a lab host's namespace, started as
 * {@code ip netns exec <ns> java ... org.dialtone.node.Main <args>} with this JVM's class path, or with
 * {@code -jar} when {@code -Ddialtone.jar=PATH} is set. Standard output and error go to {@code <label>.log}
 * (appended across restarts). JVM flags: {@code DIALTONE_JAVA_OPTS}, else small-heap defaults fit for running
 * dozens at once.
 */
public final class DialtoneProcess {
  /** Small heap, quick start, little memory: dozens of nodes on a 2-core machine. */
  public static final String DEFAULT_JAVA_OPTS =
      "-Xmx96m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto";

  /** How a finished command ended. */
  public record Outcome(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private final LabHost host;
  private final String label;
  private final List<String> args;
  private final Path log;
  private volatile Process process;
  private volatile long logOffset;

  private DialtoneProcess(LabHost host, String label, List<String> args, Path log) {
    this.host = host;
    this.label = label;
    this.args = List.copyOf(args);
    this.log = log;
  }

  static DialtoneProcess start(LabHost host, String label, List<String> args) {
    try {
      DialtoneProcess p = new DialtoneProcess(host, label, args, host.logFile(label));
      p.launch();
      return p;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start dialtone " + args + " on " + host + ": " + e.getMessage(), e);
    }
  }

  private void launch() throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace(), javaBinary()));
    String opts = Optional.ofNullable(System.getenv("DIALTONE_JAVA_OPTS")).filter(s -> !s.isBlank())
        .orElse(DEFAULT_JAVA_OPTS);
    cmd.addAll(List.of(opts.trim().split("\\s+")));
    String jar = System.getProperty("dialtone.jar", "");
    if (!jar.isEmpty()) {
      cmd.addAll(List.of("-jar", jar));
    } else {
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.dialtone.node.Main"));
    }
    cmd.addAll(args);
    Files.writeString(log, "### " + java.time.Instant.now() + " dialtone " + String.join(" ", args) + "\n",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    logOffset = Files.size(log);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    Path config = host.dir().resolve("agent-config");
    pb.environment().put("XDG_CONFIG_HOME", config.toString());
    pb.environment().put("DIALTONE_CONFIG_DIR", config.resolve("dialtone").toString());
    pb.environment().put("HOME", host.dir().toString());
    process = pb.start();
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public String label() {
    return label;
  }

  public LabHost host() {
    return host;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** What this run (since the last start) wrote so far. */
  public String output() {
    try {
      byte[] all = Files.readAllBytes(log);
      int from = (int) Math.min(logOffset, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits until this run's output contains {@code text}; fails at the deadline or when the process ends first. */
  public void awaitOutput(String text, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!output().contains(text)) {
      if (!process.isAlive() && !output().contains(text)) {
        throw new AssertionError(label + " on " + host + " exited (" + process.exitValue() + ") before printing '"
            + text + "'; log " + log + ":\n" + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(label + " on " + host + " did not print '" + text + "' within " + limit
            + "; log " + log + ":\n" + tail());
      }
      LabHost.sleepBriefly();
    }
  }

  /** Waits for a node to log {@code node.ready}. */
  public DialtoneProcess awaitReady(Duration limit) {
    awaitOutput("event=node.ready", limit);
    return this;
  }

  /** Waits for the process to end (killing it at the limit) and returns how it ended. */
  public Outcome awaitExit(Duration limit) {
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return new Outcome(-1, output() + "\n[killed: still running after " + limit + "]");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    return new Outcome(process.exitValue(), output());
  }

  /** SIGKILL: no flush, no goodbye; waits until it is gone. */
  public void kill9() {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** SIGTERM: the clean stop; waits up to {@code limit}, then kills. */
  public Outcome stop(Duration limit) {
    process.destroy();
    return awaitExit(limit);
  }

  /** Starts the same command again (same data directory, same ports), after it ended or was killed. */
  public DialtoneProcess restart() {
    if (process.isAlive()) {
      throw new IllegalStateException(label + " is still running");
    }
    try {
      launch();
    } catch (IOException e) {
      throw new IllegalStateException("cannot restart " + label + ": " + e.getMessage(), e);
    }
    return this;
  }

  private String tail() {
    String o = output();
    return o.length() > 4000 ? o.substring(o.length() - 4000) : o;
  }

  @Override
  public String toString() {
    return label + "@" + host.name();
  }
}
