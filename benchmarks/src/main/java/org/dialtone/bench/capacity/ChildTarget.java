package org.dialtone.bench.capacity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CapacityTarget} in a child process, pinned to one CPU with {@code taskset} when asked, so that the target
 * and the generator do not share a core. Its counters arrive as {@code stats} lines on its stdout every 50 ms.
 */
final class ChildTarget implements TargetHandle {
  private final Process process;
  private final int port;
  private volatile TargetStats latest;

  private ChildTarget(Process process, int port, TargetStats first) {
    this.process = process;
    this.port = port;
    this.latest = first;
  }

  /** Starts a target of {@code kind}, on CPU {@code cpu} when it is not negative. */
  static ChildTarget start(CapacityTarget.Kind kind, int networkSize, int cpu) throws Exception {
    List<String> command = new ArrayList<>();
    if (cpu >= 0) {
      command.addAll(List.of("taskset", "-c", Integer.toString(cpu)));
    }
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xms256m", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        CapacityTarget.class.getName(), kind.name(), Integer.toString(networkSize)));
    Path log = Files.createTempFile("capacity-target-", ".log");
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> ready = CompletableFuture.supplyAsync(() -> {
      try {
        String line = out.readLine();
        if (line == null || !line.startsWith("ready ")) {
          throw new IllegalStateException("target did not start: " + line + "\n" + Files.readString(log));
        }
        return Integer.parseInt(line.substring(6).trim());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    int port;
    try {
      port = ready.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
    ChildTarget target = new ChildTarget(p, port, new TargetStats(System.currentTimeMillis(), 0, 0, 0));
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith(TargetStats.PREFIX)) {
            target.latest = TargetStats.parse(line);
          }
        }
      } catch (IOException closed) {
        // the target ended
      }
    }, "target-stats");
    reader.setDaemon(true);
    reader.start();
    return target;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public TargetStats stats() {
    return latest;
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close(); // the target ends when its stdin closes
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
