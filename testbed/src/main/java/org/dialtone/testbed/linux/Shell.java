package org.dialtone.testbed.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the system's networking commands (ip, nft, sysctl): waits, and turns a failure into one clear exception. */
public final class Shell {
  private Shell() {}

  /** The outcome of a command. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs {@code command}, feeding {@code stdin} (may be empty); fails unless it exits 0 within 30 s. */
  public static String runWithInput(String stdin, String... command) {
    Result r = tryRun(stdin, command);
    if (!r.ok()) {
      throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit " + r.exitCode() + "): "
          + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip());
    }
    return r.stdout();
  }

  /** Runs {@code command} and fails unless it exits 0. */
  public static String run(String... command) {
    return runWithInput("", command);
  }

  /** Runs {@code command} and returns what happened, whatever the exit code. */
  public static Result tryRun(String stdin, String... command) {
    try {
      Process p = new ProcessBuilder(command).start();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
      try (var in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "", "timed out after 30 s");
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      return new Result(-1, "", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "", "interrupted");
    }
  }

  /** {@code ip netns exec NS command...}. */
  public static String inNs(String ns, String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(command));
    return run(full.toArray(String[]::new));
  }

  /** Loads an nftables script into namespace {@code ns}. */
  public static void nft(String ns, String script) {
    runWithInput(script, "ip", "netns", "exec", ns, "nft", "-f", "-");
  }

  private static String readAll(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Sets one kernel setting inside namespace {@code ns}. */
  public static void sysctl(String ns, String setting) {
    run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", setting);
  }
}
