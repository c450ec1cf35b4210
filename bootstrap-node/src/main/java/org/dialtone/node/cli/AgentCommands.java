package org.dialtone.node.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.api.Watch;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.node.gateway.JsonViews;
import org.dialtone.node.log.StructuredLog;
import org.dialtone.resolver.NumberListing;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.NumberWatch;
import org.dialtone.resolver.Roster;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.number.InvalidNumberException;
import org.dialtone.resolver.record.AgentInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The agent commands. Each joins the DHT as a light client through {@code --bootstrap}, does one thing, prints it
 * (or JSON with {@code --json}) and exits; {@code announce}, {@code host} and {@code share} keep their records alive
 * until Ctrl-C (then leave with a signed tombstone) unless {@code --once}, after which the records expire on their own
 * within the presence TTL (2 minutes).
 */
public final class AgentCommands {
  private AgentCommands() {}

  /** Parses a number or a name before anything touches the network; a bad one is a one-line usage error. */
  static DialNumber number(String text) {
    try {
      return DialNumber.resolve(text);
    } catch (InvalidNumberException e) {
      throw new CliError("INVALID_NUMBER", e.getMessage() + " [" + e.reason() + "]", CliError.EXIT_USAGE);
    }
  }

  abstract static class Base implements Callable<Integer> {
    @Mixin AgentOptions options;
    @Spec CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    void print(String text, Object json) {
      out().print(options.json ? JsonViews.pretty(json) + "\n" : text);
      out().flush();
    }

    @Override
    public final Integer call() {
      StructuredLog.configure(options.logLevel, System.err);
      return run();
    }

    abstract int run();

    /** Blocks until Ctrl-C (SIGINT/SIGTERM), or for {@code seconds} when positive. */
    static void runUntilStopped(AgentSession session, long seconds) {
      CountDownLatch stop = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        session.close();
        stop.countDown();
      }, "dialtone-agent-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        if (seconds > 0) {
          stop.await(seconds, TimeUnit.SECONDS);
        } else {
          stop.await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (stop.getCount() > 0) { // --for elapsed: leave now, not from the hook
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          return; // already shutting down: the hook closes the session
        }
        session.close();
      }
    }
  }

  @Command(name = "dial", description = "Who is on a number: agents, host, services, shares.")
  static final class Dial extends Base {
    @Parameters(paramLabel = "NUMBER", description = "a number (744-196884-23) or a name (moonshine)")
    String number;

    @Override
    int run() {
      DialNumber n = number(number);
      try (AgentSession s = options.open(List.of())) {
        Roster r = AgentSession.await(s.resolver().discover(n), options.timeout());
        print(Text.roster(r), JsonViews.roster(r));
        return 0;
      }
    }
  }

  abstract static class Publishing extends Base {
    @Option(names = "--once", description = "publish, print and exit (records then expire within 2 minutes); "
        + "without it the command keeps them alive until Ctrl-C")
    boolean once;

    @Option(names = "--for", paramLabel = "SECONDS", hidden = true, description = "stay this long, then leave")
    long forSeconds;

    @Option(names = "--interest", split = ",", description = "interests to list under (find --interest finds them)")
    List<String> interests = new ArrayList<>();

    int publishAndStay(AgentSession s, String what, Object json) {
      print(what + "\n" + (once ? "" : "keeping it alive; Ctrl-C to leave\n"), json);
      if (once) {
        s.closeKeepingRecords();
      } else {
        runUntilStopped(s, forSeconds);
      }
      return 0;
    }
  }

  @Command(name = "announce", description = "ANNOUNCE: say you are on a number.")
  static final class Announce extends Publishing {
    @Parameters(paramLabel = "NUMBER") String number;

    @Override
    int run() {
      DialNumber n = number(number);
      AgentSession s = options.open(interests);
      try {
        AgentSession.await(s.resolver().announce(n), options.timeout());
      } catch (CliError e) {
        s.close();
        throw e;
      }
      return publishAndStay(s, "announced on " + n + " as " + s.resolver().profile().name() + " ("
          + s.identity().publicKey().toHex() + ")", ack("announced", n, s));
    }
  }

  @Command(name = "host", description = "HOST: host a number with services.")
  static final class Host extends Publishing {
    @Parameters(paramLabel = "NUMBER") String number;

    @Option(names = "--services", split = ",", required = true, description = "services offered, e.g. chat,files")
    List<String> services;

    @Option(names = "--endpoint", description = "where to reach you, e.g. ws://127.0.0.1:8053")
    String endpoint = "";

    @Override
    int run() {
      DialNumber n = number(number);
      AgentSession s = options.open(interests);
      try {
        AgentSession.await(s.resolver().host(n, services, endpoint), options.timeout());
      } catch (CliError e) {
        s.close();
        throw e;
      }
      return publishAndStay(s, "hosting " + n + " (" + String.join(", ", services) + ") as "
          + s.resolver().profile().name(), ack("hosting", n, s));
    }
  }

  @Command(name = "share", description = "SHARE: recommend a number, from a number you are on.")
  static final class ShareCmd extends Publishing {
    @Parameters(paramLabel = "NUMBER", description = "the number you recommend") String number;

    @Option(names = "--note", description = "why", defaultValue = "") String note;

    @Option(names = "--from", paramLabel = "NUMBER",
        description = "the number you say it on (default: the recommended number itself)")
    String from;

    @Override
    int run() {
      DialNumber n = number(number);
      DialNumber on = from == null ? n : number(from);
      AgentSession s = options.open(interests);
      try {
        AgentSession.await(s.resolver().announce(on), options.timeout());
        AgentSession.await(s.resolver().share(n, note, interests.toArray(String[]::new)), options.timeout());
      } catch (CliError e) {
        s.close();
        throw e;
      }
      return publishAndStay(s, "shared " + n + " on " + on + (note.isEmpty() ? "" : " \"" + note + "\""),
          ack("shared", n, s));
    }
  }

  @Command(name = "find", description = "Agents by interest.")
  static final class Find extends Base {
    @Option(names = "--interest", required = true) String interest;

    @Override
    int run() {
      try (AgentSession s = options.open(List.of())) {
        List<AgentInfo> agents = AgentSession.await(s.resolver().findAgents(interest), options.timeout());
        print(Text.agents("interested in " + interest, agents), JsonViews.agents(agents));
        return 0;
      }
    }
  }

  @Command(name = "numbers", description = "Numbers by service.")
  static final class Numbers extends Base {
    @Option(names = "--service", required = true) String service;

    @Override
    int run() {
      try (AgentSession s = options.open(List.of())) {
        List<NumberListing> l = AgentSession.await(s.resolver().findNumbers(service), options.timeout());
        print(Text.listings(service, l), JsonViews.listings(l));
        return 0;
      }
    }
  }

  @Command(name = "request", description = "REQUEST: how to reach an agent (its numbers and endpoints).")
  static final class Request extends Base {
    @Parameters(paramLabel = "AGENT", description = "the agent's key, 64 hex digits") String agent;

    @Override
    int run() {
      PublicKey key;
      if (!agent.matches("[0-9a-fA-F]{64}")) {
        throw new CliError("INVALID_AGENT", "'" + agent + "' is not an agent key (64 hex digits)",
            CliError.EXIT_USAGE);
      }
      key = PublicKey.ofHex(agent.toLowerCase());
      try (AgentSession s = options.open(List.of())) {
        AgentInfo a = AgentSession.await(s.resolver().request(key), options.timeout());
        print(Text.agentDetail(a), JsonViews.agent(a));
        return 0;
      }
    }
  }

  @Command(name = "watch", description = "A live feed of a number: JOINED, LEFT, SHARED, HOSTING. Ctrl-C to stop.")
  static final class Watch extends Base {
    @Parameters(paramLabel = "NUMBER") String number;

    @Option(names = "--for", paramLabel = "SECONDS", description = "stop after this long (default: until Ctrl-C)")
    long forSeconds;

    @Override
    int run() {
      DialNumber n = number(number);
      AgentSession s = options.open(List.of());
      NumberResolver r = s.resolver();
      NumberWatch w = r.watch(n, e -> {
        synchronized (this) {
          out().println(options.json ? JsonViews.write(JsonViews.event(e)) : Text.event(e));
          out().flush();
        }
      });
      try {
        AgentSession.await(w.ready(), options.timeout());
      } catch (CliError e) {
        s.close();
        throw e;
      }
      synchronized (this) {
        out().println(options.json ? JsonViews.write(JsonViews.watching(n)) : "watching " + n
            + (forSeconds > 0 ? " for " + forSeconds + " s" : "; Ctrl-C to stop"));
        out().flush();
      }
      runUntilStopped(s, forSeconds); // closing the session ends the watch
      return 0;
    }
  }

  static Object ack(String what, DialNumber n, AgentSession s) {
    return JsonViews.JSON.createObjectNode().put("status", what).put("number", n.toString())
        .put("agent", s.identity().publicKey().toHex()).put("name", s.resolver().profile().name());
  }

}
