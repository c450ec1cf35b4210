package org.dialtone.node.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.dialtone.agent.Agent;
import org.dialtone.agent.AgentConnection;
import org.dialtone.agent.ConnectionPath;
import org.dialtone.agent.PunchResult;
import org.dialtone.agent.ServiceStream;
import org.dialtone.agent.Services;
import org.dialtone.agent.error.AgentError;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.number.InvalidNumberException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dialtone connect NUMBER|KEY}: connects to the number's host (or to an agent by key), directly or through a
 * relay, proves both keys, and pipes standard input to a service and the service to standard output. Says on
 * standard error which path it took and how long connecting took.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
    description = {"Connect to a number's host (or an agent's key) and pipe stdin to a service, its answers to "
        + "stdout.",
        "chat: each line is a message, messages that arrive are printed a line each; stops at the end of input. "
            + "echo: bytes go out and come back; stops when all came back.",
        "Standard error says the path (DIRECT, RELAYED or PUNCHED) and the time to connect; a relayed connection "
            + "first tries to move to a punched UDP path."})
final class ConnectCommand extends AgentCommands.Base {
  private static final int CHUNK = 64 * 1024;

  @Parameters(paramLabel = "NUMBER|KEY", description = "a number or name, or an agent's key (64 hex digits, or "
      + "its first digits as dial, find and watch print them)")
  String target;

  @Option(names = "--service", defaultValue = "chat", paramLabel = "chat|echo",
      description = "the service to pipe to (default: ${DEFAULT-VALUE})")
  String service;

  @Option(names = "--punch", defaultValue = "true", negatable = true, fallbackValue = "true", arity = "0..1",
      description = "when the connection comes up through a relay, try to move it to a punched UDP path (QUIC) "
          + "(default: ${DEFAULT-VALUE}; --punch=false stays relayed)")
  boolean punch;

  @Override
  int run() {
    if (!AgentLink.SERVED.contains(service)) {
      throw new CliError("UNKNOWN_SERVICE", "--service is chat or echo, not " + service, CliError.EXIT_USAGE);
    }
    DialNumber number = null;
    PublicKey key = null;
    try {
      number = DialNumber.resolve(target);
    } catch (InvalidNumberException e) {
      if (!target.matches("[0-9a-fA-F]{4,64}")) {
        throw new CliError("INVALID_NUMBER", e.getMessage() + " [" + e.reason() + "]", CliError.EXIT_USAGE);
      }
      key = PublicKey.ofHex(new SeenAgents(options.configDir()).resolve(target.toLowerCase(java.util.Locale.ROOT)));
    }
    if (number != null) {
      options.allowLanOnly(); // a number's host may answer on the LAN even when no node does
    }
    try (AgentSession s = options.openReading(err())) {
      Agent agent = AgentLink.agent(s, AgentLink.SERVED, options.timeout(), options.seeds(), options.lan());
      try {
        long t0 = System.nanoTime();
        CompletableFuture<AgentConnection> f = number != null ? agent.connect(number) : agent.connect(key);
        AgentConnection c = AgentLink.await(s, f, options.timeout(), "connecting to " + target);
        if (punch && c.path() == ConnectionPath.RELAYED) {
          PunchResult p = AgentLink.await(s, agent.punch(c), options.timeout(), "punching to " + target);
          err().println("punch: " + p.describe() + " (our NAT " + p.ourNat() + ", theirs " + p.theirNat() + ") in "
              + p.millis() + " ms" + (p.steps().isEmpty() ? "" : ": " + String.join(", ", p.steps())));
          c = p.connection();
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        err().println("connected to " + c.peer().toHex() + " " + c.path() + " in " + millis + " ms");
        err().flush();
        return service.equals(Services.ECHO) ? echo(c) : chat(c);
      } finally {
        agent.close();
      }
    }
  }

  private int chat(AgentConnection c) {
    c.onChat(text -> {
      synchronized (this) {
        out().println(text);
        out().flush();
      }
    });
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null && !c.closed().isDone()) {
        c.chat(line);
        awaitDrained(c);
      }
    } catch (java.io.IOException e) {
      throw new CliError("IO", "reading standard input: " + e.getMessage(), CliError.EXIT_FAILED);
    }
    return closedEarly(c) ? fail(c) : 0;
  }

  private int echo(AgentConnection c) {
    ServiceStream stream = AgentSession.await(c.open(Services.ECHO), options.timeout());
    OutputStream out = System.out;
    AtomicLong received = new AtomicLong();
    CompletableFuture<Void> back = new CompletableFuture<>();
    stream.handler(b -> {
      try {
        out.write(b);
        received.addAndGet(b.length);
      } catch (java.io.IOException e) {
        back.completeExceptionally(e);
      }
    });
    stream.endHandler(t -> back.complete(null));
    stream.errorHandler(back::completeExceptionally);
    c.closed().thenRun(() -> back.completeExceptionally(new IllegalStateException("connection closed")));
    long t0 = System.nanoTime();
    long sent = 0;
    try (InputStream in = System.in) {
      byte[] buf = new byte[CHUNK];
      int n;
      while ((n = in.readNBytes(buf, 0, CHUNK)) > 0 && !c.closed().isDone()) {
        stream.write(Arrays.copyOf(buf, n));
        sent += n;
        awaitDrained(c);
      }
    } catch (java.io.IOException e) {
      throw new CliError("IO", "reading standard input: " + e.getMessage(), CliError.EXIT_FAILED);
    }
    stream.end(new byte[0]);
    try {
      back.join();
      out.flush();
    } catch (RuntimeException | java.io.IOException e) {
      return fail(c);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    err().printf("echoed %d of %d bytes in %.2f s (%.1f MiB/s each way)%n", received.get(), sent, seconds,
        sent / seconds / (1 << 20));
    err().flush();
    return received.get() == sent ? 0 : fail(c);
  }

  /** Waits until the connection's send queue has room (the socket's backpressure reaches the stdin reader). */
  private static void awaitDrained(AgentConnection c) {
    CountDownLatch drained = new CountDownLatch(1);
    c.whenDrained(drained::countDown);
    try {
      while (!drained.await(1, TimeUnit.SECONDS)) {
        if (c.closed().isDone()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean closedEarly(AgentConnection c) {
    return c.closed().isDone() && c.closed().join() != AgentError.CLOSED;
  }

  private static int fail(AgentConnection c) {
    AgentError why = c.closed().isDone() ? c.closed().join() : AgentError.CLOSED;
    throw new CliError(why.name(), "the connection closed before the end (" + why + ")", CliError.EXIT_FAILED);
  }
}
