package org.dialtone.node.docs;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a doc's shell commands as a reader would, on loopback: in a fresh working directory holding a
 * {@code dialtone} launcher for the built jar, with the documented ports moved to a free range (7440..7449 and
 * 8440..8449 become base+0..9), and {@code DIALTONE_BOOTSTRAP} / {@code DIALTONE_NODE} pointing there so commands
 * that rely on the defaults meet the same network.
 *
 * <p>Commands that run until stopped are started in the background, as a reader starts them in another shell:
 * {@code dialtone node}, {@code announce}/{@code host}/{@code share} without {@code --once}, {@code join}, {@code watch} without
 * {@code --for}. The harness waits for each to say it is up, stops the agent ones with SIGTERM at the end of their
 * block and the nodes at the end of the doc, and expects exit 0 from each (a clean stop). Every other command must
 * exit 0 within its time limit. The placeholder {@code <agent key>} becomes the first 8 hex digits of the last agent
 * key the CLI printed (it remembers them), as a reader copies them from the output; {@code <64 hex digits>} the
 * whole key. A doc that uses a network without starting one gets three nodes
 * from the harness.
 */
final class DocShell implements AutoCloseable {
  private static final Pattern DOC_PORT = Pattern.compile("(?<![0-9.-])(744|844)([0-9])(?![0-9])");
  /** {@code <agent key>}: the 8 hex digits the CLI prints; {@code <64 hex digits>}: the whole key. */
  private static final Pattern SHORT_KEY = Pattern.compile("<agent key>");
  private static final Pattern FULL_KEY = Pattern.compile("<64 hex digits>");
  private static final Pattern DIALTONE = Pattern.compile("^(?:\\./)?dialtone\\s+(\\S+)(.*)$");

  private final Path dir;
  private final Path jar;
  private final int udpBase;
  private final int httpBase;
  private final List<Background> nodes = new ArrayList<>();
  private final List<Background> agents = new ArrayList<>();

  private record Background(String where, String command, Process process, Path out, Path err) {}

  DocShell(Path dir, Path jar) throws IOException {
    this.dir = dir;
    this.jar = jar;
    int[] bases = freeRange();
    this.udpBase = bases[0];
    this.httpBase = bases[1];
    Path launcher = dir.resolve("dialtone");
    Files.writeString(launcher, "#!/bin/sh\n# the docs test's launcher: the jar mvn package built\nexec java "
        + "$DIALTONE_JAVA_OPTS -jar '" + jar + "' \"$@\"\n");
    launcher.toFile().setExecutable(true);
  }

  /** Ten consecutive ports free for both UDP and TCP, twice: for the DHT and for the gateways. */
  private static int[] freeRange() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20000 + ThreadLocalRandom.current().nextInt(4000) * 10;
      if (free(base) && free(base + 10)) {
        return new int[] {base, base + 10};
      }
    }
    throw new IOException("no free range of 20 ports on loopback after 200 tries");
  }

  private static boolean free(int base) {
    InetAddress lo = InetAddress.getLoopbackAddress();
    for (int p = base; p < base + 10; p++) {
      try (DatagramSocket u = new DatagramSocket(p, lo); ServerSocket t = new ServerSocket(p, 1, lo)) {
        // both free
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** The command as it runs here: ports moved, placeholders filled. */
  String rewrite(DocBlock.Command c) {
    Matcher m = DOC_PORT.matcher(c.text());
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      int base = m.group(1).equals("744") ? udpBase : httpBase;
      m.appendReplacement(sb, Integer.toString(base + Integer.parseInt(m.group(2))));
    }
    m.appendTail(sb);
    String text = sb.toString();
    if (SHORT_KEY.matcher(text).find() || FULL_KEY.matcher(text).find()) {
      String key = lastSeenAgent().orElseThrow(() -> new AssertionError(c.where() + ": `" + c.text()
          + "` has a placeholder for an agent key, but no command before it printed one"));
      text = FULL_KEY.matcher(SHORT_KEY.matcher(text).replaceAll(key.substring(0, 8))).replaceAll(key);
    }
    return text;
  }

  private java.util.Optional<String> lastSeenAgent() {
    try {
      List<String> keys = Files.readAllLines(dir.resolve("config/dialtone/seen-agents"));
      return keys.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(keys.get(keys.size() - 1));
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  private ProcessBuilder builder(String command) {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("DIALTONE_"));
    env.put("DIALTONE_NO_LAN", "true"); // no mDNS onto the machine's own network
    env.put("PATH", dir + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("XDG_DATA_HOME", dir.resolve("share").toString());
    env.put("DIALTONE_BOOTSTRAP", "127.0.0.1:" + udpBase);
    env.put("DIALTONE_NODE", "127.0.0.1:" + httpBase);
    env.put("DIALTONE_JAVA_OPTS", "-Xmx160m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    return pb;
  }

  /** Whether a doc's commands need a network they do not start themselves. */
  static boolean needsNetwork(List<DocBlock.Command> commands) {
    boolean uses = commands.stream().anyMatch(c -> c.text().matches("^(\\./)?dialtone\\s+(?!demo|numbers --named|"
        + "--help|-h|help).*") || c.text().contains("localhost:84") || c.text().contains("127.0.0.1:84"));
    boolean starts = commands.stream().anyMatch(c -> c.text().matches("^(\\./)?dialtone\\s+node\\b.*"));
    return uses && !starts;
  }

  /** Starts three nodes on the doc's ports, as the README does, for docs that use a network without starting one. */
  void startNetwork(String where) throws Exception {
    for (int i = 0; i < 3; i++) {
      String cmd = "./dialtone node --port 744" + i + " --http-port 844" + i + " --data-dir data/harness-n" + i
          + (i == 0 ? "" : " --bootstrap 127.0.0.1:7440");
      startBackground(new DocBlock.Command(where + " (the harness's network)", cmd), nodes, "dialtone node");
    }
  }

  /** Runs one command of a doc; fails with the doc's file and line when it does not do what the doc says. */
  void run(DocBlock.Command c) throws Exception {
    Matcher d = DIALTONE.matcher(c.text());
    String sub = d.matches() ? d.group(1) : "";
    String args = d.matches() ? d.group(2) : "";
    boolean help = args.matches(".*(^|\\s)(-h|--help)(\\s|$).*");
    boolean publishing = sub.matches("announce|host|share|join") && !args.contains("--once") && !help;
    if (sub.equals("node") && !help) {
      startBackground(c, nodes, "dialtone node");
    } else if (publishing) {
      startBackground(c, agents, "keeping it alive");
    } else if (sub.equals("watch") && !args.contains("--for") && !help) {
      startBackground(c, agents, "watching");
    } else {
      foreground(c, sub.equals("demo") ? 300 : 120);
    }
  }

  private void foreground(DocBlock.Command c, int seconds) throws Exception {
    String command = rewrite(c);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = builder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    try {
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        throw failure(c, command, "did not finish within " + seconds + " s", out, err);
      }
      if (p.exitValue() != 0) {
        throw failure(c, command, "exited " + p.exitValue() + " (expected 0)", out, err);
      }
      if (command.startsWith("curl") && Files.size(out) == 0) {
        throw failure(c, command, "printed nothing", out, err);
      }
    } finally {
      p.destroyForcibly();
    }
  }

  private void startBackground(DocBlock.Command c, List<Background> into, String readyText) throws Exception {
    String command = rewrite(c);
    Path out = Files.createTempFile(dir, "bg-out", ".txt");
    Path err = Files.createTempFile(dir, "bg-err", ".txt");
    // exec: the signal the harness sends reaches dialtone itself, not a shell around it
    Process p = builder("exec " + command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    Background b = new Background(c.where(), c.text(), p, out, err);
    into.add(b);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(out, StandardCharsets.UTF_8).contains(readyText)) {
      if (!p.isAlive()) {
        throw failure(c, command, "exited " + p.exitValue() + " before saying '" + readyText + "'", out, err);
      }
      if (System.nanoTime() > deadline) {
        throw failure(c, command, "did not say '" + readyText + "' within 120 s", out, err);
      }
      p.waitFor(100, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops what the block started that runs until Ctrl-C (announce, watch...), expecting a clean exit 0 each. */
  void endOfBlock() throws Exception {
    stopAll(agents);
  }

  /** Stops the nodes too. */
  void endOfDoc() throws Exception {
    stopAll(agents);
    stopAll(nodes);
  }

  private void stopAll(List<Background> list) throws Exception {
    AssertionError first = null;
    for (Background b : List.copyOf(list)) {
      b.process().destroy(); // SIGTERM
    }
    for (Background b : List.copyOf(list)) {
      list.remove(b);
      boolean exited = b.process().waitFor(60, TimeUnit.SECONDS);
      if (first == null && (!exited || b.process().exitValue() != 0)) {
        first = failure(new DocBlock.Command(b.where(), b.command()), b.command(), exited
            ? "exited " + b.process().exitValue() + " on SIGTERM (a clean stop is exit 0)"
            : "did not stop within 60 s of SIGTERM", b.out(), b.err());
      }
      b.process().destroyForcibly();
    }
    if (first != null) {
      throw first;
    }
  }

  private AssertionError failure(DocBlock.Command c, String ran, String what, Path out, Path err)
      throws IOException {
    StringBuilder sb = new StringBuilder(c.where()).append(": `").append(c.text()).append("` ").append(what)
        .append("\n  ran as: ").append(ran)
        .append("\n--- stdout\n").append(tail(out)).append("--- stderr\n").append(tail(err));
    for (Background n : nodes) {
      sb.append("--- stderr of ").append(n.where()).append(" `").append(n.command()).append("`\n")
          .append(tail(n.err()));
    }
    return new AssertionError(sb.toString());
  }

  private static String tail(Path f) throws IOException {
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
  }

  @Override
  public void close() {
    for (List<Background> list : List.of(agents, nodes)) {
      for (Background b : list) {
        b.process().destroyForcibly();
        try {
          b.process().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      list.clear();
    }
  }
}
