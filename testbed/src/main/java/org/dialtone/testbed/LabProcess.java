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
 * A process in a lab host's namespace: a real {@code dialtone} (the node or an agent command), started as
 * {@code ip netns exec <ns> java ... org.dialtone.node.Main <args>} with this JVM's class path, or with
 * {@code -jar} when {@code -Ddialtone.jar=PATH} is set. Standard output and error go to {@code <label>.log}
 * (appended across restarts). JVM flags: {@code DIALTONE_JAVA_OPTS}, else small-heap defaults fit for running
 * dozens at once. Or any command of yours ({@link LabHost#startCommand}), run as is.
 */
public final class LabProcess {
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
  private final boolean dialtone;
  private volatile Process process;
  private volatile long logOffset;
  // Standard input from a file and standard output to a file (stderr then alone goes to the log), or neither.
  private Optional<Path> stdin = Optional.empty();
  private Optional<Path> stdout = Optional.empty();

  private LabProcess(LabHost host, String label, List<String> args, Path log, boolean dialtone) {
    this.dialtone = dialtone;
    this.host = host;
    this.label = label;
    this.args = List.copyOf(args);
    this.log = log;
  }

  static LabProcess start(LabHost host, String label, List<String> args, boolean dialtone) {
    return start(host, label, args, dialtone, Optional.empty(), Optional.empty());
  }

  static LabProcess start(LabHost host, String label, List<String> args, boolean dialtone, Optional<Path> stdin,
      Optional<Path> stdout) {
    try {
      LabProcess p = new LabProcess(host, label, args, host.logFile(label), dialtone);
      p.stdin = stdin;
      p.stdout = stdout;
      p.launch();
      return p;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + args + " on " + host + ": " + e.getMessage(), e);
    }
  }

  private List<String> command() throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
    if (dialtone) {
      cmd.addAll(dialtoneCommand(sharedArchive(host.namespace())));
    }
    cmd.addAll(args);
    Files.writeString(log, "### " + java.time.Instant.now() + " " + String.join(" ", cmd.subList(4, cmd.size()))
        + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    return cmd;
  }

  /**
   * A class-data-sharing archive of the classes a dialtone process loads, made once per build by a short agent
   * command that finds no peer: later processes map it instead of parsing and verifying those classes again, about a
   * third less CPU at start (measured: 1.3 s to 0.8 s user time), which counts when twenty start at once. The JVM
   * archives classes from jars only: in a packaged build ({@code mvn verify}) the dialtone class path is all jars;
   * in a build that stopped before {@code package} it holds module directories, and processes start without it.
   * Keyed by every jar's path, size and time, so a rebuilt jar makes a new archive (older ones are removed).
   */
  private static synchronized Optional<Path> sharedArchive(String namespace) {
    if (archive != null) {
      return archive;
    }
    archive = Optional.empty();
    try {
      List<Path> entries = classPathOrJar().stream().map(Path::of).toList();
      if (!entries.stream().allMatch(Files::isRegularFile)) {
        return archive; // a directory on the class path: the JVM would refuse to archive
      }
      StringBuilder id = new StringBuilder(javaBinary());
      for (Path e : entries) {
        id.append('|').append(e).append(':').append(Files.size(e)).append(':').append(Files.getLastModifiedTime(e));
      }
      Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
      Path jsa = tmp.resolve("dialtone-testbed-" + Integer.toHexString(id.toString().hashCode()) + ".jsa");
      if (!Files.exists(jsa)) {
        try (var old = Files.newDirectoryStream(tmp, "dialtone-testbed-*.jsa")) {
          for (Path o : old) {
            Files.deleteIfExists(o); // an earlier build's
          }
        }
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        cmd.addAll(javaCommand(List.of("-XX:ArchiveClassesAtExit=" + jsa)));
        cmd.addAll(List.of("dial", "744-196884-0", "--bootstrap", "10.77.255.254:9", "--timeout", "1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      if (Files.exists(jsa)) {
        archive = Optional.of(jsa);
      }
    } catch (IOException e) {
      // no archive: slower starts, same behaviour
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return archive;
  }

  private static Optional<Path> archive;

  /** The jar given by {@code -Ddialtone.jar}, or the entries of {@link #dialtoneClassPath()}. */
  private static List<String> classPathOrJar() {
    String jar = System.getProperty("dialtone.jar", "");
    return jar.isEmpty() ? List.of(dialtoneClassPath().split(java.io.File.pathSeparator)) : List.of(jar);
  }

  /**
   * This JVM's class path without the testbed's own classes: a dialtone process runs {@code org.dialtone.node.Main}
   * only, and a packaged build's modules are then all jars.
   */
  private static String dialtoneClassPath() {
    java.util.Set<Path> own = new java.util.HashSet<>();
    try {
      Path classes = Path.of(LabProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      own.add(classes.toAbsolutePath().normalize());
      own.add(classes.resolveSibling("test-classes").toAbsolutePath().normalize());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // keep everything
    }
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(e -> !own.contains(Path.of(e).toAbsolutePath().normalize()))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  private static List<String> dialtoneCommand(Optional<Path> archive) {
    return javaCommand(archive.map(a -> List.of("-XX:SharedArchiveFile=" + a)).orElse(List.of()));
  }

  /** {@code java <opts> -cp <this JVM's class path> org.dialtone.node.Main}, or {@code -jar} a given jar. */
  private static List<String> javaCommand(List<String> extraOpts) {
    List<String> cmd = new ArrayList<>(List.of(javaBinary()));
    String opts = Optional.ofNullable(System.getenv("DIALTONE_JAVA_OPTS")).filter(s -> !s.isBlank())
        .orElse(DEFAULT_JAVA_OPTS);
    cmd.addAll(List.of(opts.trim().split("\\s+")));
    cmd.addAll(extraOpts);
    String jar = System.getProperty("dialtone.jar", "");
    if (!jar.isEmpty()) {
      cmd.addAll(List.of("-jar", jar));
    } else {
      cmd.addAll(List.of("-cp", dialtoneClassPath(), "org.dialtone.node.Main"));
    }
    return cmd;
  }

  private void launch() throws IOException {
    List<String> cmd = command();
    logOffset = Files.size(log);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(stdout.isEmpty())
        .redirectOutput(stdout.map(f -> ProcessBuilder.Redirect.to(f.toFile()))
            .orElse(ProcessBuilder.Redirect.appendTo(log.toFile())))
        .redirectInput(stdin.map(f -> ProcessBuilder.Redirect.from(f.toFile())).orElse(ProcessBuilder.Redirect.PIPE));
    if (stdout.isPresent()) {
      pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }
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

  /**
   * The process's standard input, when it was started without a file for it: a test types into a {@code join} room
   * here as a person would. Closing it is end of input.
   */
  public java.io.OutputStream input() {
    if (stdin.isPresent()) {
      throw new IllegalStateException(label + " reads its standard input from " + stdin.get());
    }
    return process.getOutputStream();
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
  public LabProcess awaitReady(Duration limit) {
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
  public LabProcess restart() {
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
