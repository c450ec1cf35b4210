package org.dialtone.node.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.node.gateway.Inputs;
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
 * until Ctrl-C or SIGTERM (then leave with a signed tombstone and exit 0) unless {@code --once}, after which the
 * records expire on their own within the presence TTL (2 minutes). Each speaks for a profile ({@code --as NAME}).
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

    PrintWriter err() {
      return spec.commandLine().getErr();
    }

    void print(String text, Object json) {
      out().print(options.json ? JsonViews.pretty(json) + "\n" : text);
      out().flush();
    }

    @Override
    public final Integer call() {
      try {
        StructuredLog.configure(options.logLevel, options.logFormat, System.err);
        StructuredLog.quietBlockedThreadWarnings();
        return run();
      } catch (IllegalArgumentException e) {
        // Bad input found by a record rule (a 2,000-character note, "Crypto" as an interest): exit 2, one line.
        throw new CliError("BAD_INPUT", e.getMessage(), CliError.EXIT_USAGE);
      }
    }

    abstract int run();

    /** Remembers the keys printed, so {@code request} takes their first digits. */
    void seen(List<AgentInfo> agents) {
      new SeenAgents(options.configDir()).remember(agents.stream().map(a -> a.agent().toHex()).distinct().toList());
    }
  }

  @Command(name = "dial", mixinStandardHelpOptions = true,
      description = "Who is on a number: agents, hosts, services, shares.")
  static final class Dial extends Base {
    @Parameters(paramLabel = "NUMBER", description = "a number (744-196884-23) or a name (moonshine; see numbers "
        + "--named)")
    String number;

    @Override
    int run() {
      DialNumber n = number(number);
      try (AgentSession s = options.openReading(err())) {
        Roster r = s.await(s.resolver().discover(n), options.timeout(), "dialling " + n);
        seen(r.agents());
        print(Text.roster(r), JsonViews.roster(r));
        return 0;
      }
    }
  }

  @Command(name = "announce", mixinStandardHelpOptions = true, description = "ANNOUNCE: say you are on a number.")
  static final class Announce extends PublishingCommand {
    @Parameters(paramLabel = "NUMBER") String number;

    @Override
    int run() {
      DialNumber n = number(number);
      AgentSession s = open("announce " + n);
      try {
        s.await(s.resolver().announce(n), options.timeout(), "announcing on " + n);
      } catch (CliError e) {
        s.close();
        throw e;
      }
      return publishAndStay(s, "announced on " + n + " as " + s.resolver().profile().name() + " ("
          + s.identity().publicKey().toHex() + ")", ack("announced", n, s),
          List.of(StandingPublications.Entry.announce(n, 0)), List.of(n), () -> {});
    }
  }

  @Command(name = "host", mixinStandardHelpOptions = true,
      description = {"HOST: host a number with services.",
          "Without --endpoint, this agent serves chat and echo itself: a bootstrap node's relay dials it back, and "
              + "if it is reachable it publishes its own address (direct); if not (behind a NAT) it reserves at the "
              + "relay and publishes the relay's address (relayed). With --endpoint, it only publishes that endpoint "
              + "for services that run elsewhere."})
  static final class Host extends PublishingCommand {
    @Parameters(paramLabel = "NUMBER") String number;

    @Option(names = "--services", split = ",", description = "services offered, e.g. chat,files (required with "
        + "--endpoint; without it: chat,echo, served by this command)")
    List<String> services;

    @Option(names = "--endpoint", paramLabel = "URL",
        description = "where clients reach the services, e.g. ws://127.0.0.1:8053 (default: this command serves "
            + "them, directly or through a relay)")
    String endpoint;

    @Option(names = "--relay", split = ",", paramLabel = "ws://HOST:PORT",
        description = "relays to try (default: those the bootstrap nodes announce on 744-196884-0)")
    List<String> relays = new ArrayList<>();

    @Option(names = "--relayed", description = "always through a relay, even when reachable directly (your "
        + "address is then not published)")
    boolean relayedOnly;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
        description = "local TCP port to serve on without --endpoint (default: any free one)")
    int port;

    @Override
    int run() {
      DialNumber n = number(number);
      if (endpoint == null) {
        return serve(n);
      }
      if (services == null || services.isEmpty()) {
        throw new CliError("USAGE", "--endpoint needs --services (the services running there)", CliError.EXIT_USAGE);
      }
      Inputs.hosting(services, endpoint);
      AgentSession s = open("host " + n);
      try {
        s.await(s.resolver().host(n, services, endpoint), options.timeout(), "hosting " + n);
      } catch (CliError e) {
        s.close();
        throw e;
      }
      return publishAndStay(s, "hosting " + n + " (" + String.join(", ", services) + ") at " + endpoint + " as "
          + s.resolver().profile().name(), ack("hosting", n, s),
          List.of(StandingPublications.Entry.host(n, services, endpoint, 0)), List.of(n), () -> {});
    }

    /** No node answered: listen and answer for the number on the LAN alone, publishing nothing in the DHT. */
    private int hostOnLan(AgentSession s, org.dialtone.agent.Agent agent, DialNumber n, List<String> offered) {
      if (s.lanHosts().isEmpty()) {
        throw new CliError("BOOTSTRAP_FAILED", "no bootstrap peer answered and this machine has no private "
            + "multicast link to host " + n + " on the LAN", CliError.EXIT_FAILED);
      }
      org.dialtone.agent.AgentServer server = AgentLink.await(s, agent.hostOnLan(n, port), options.timeout(),
          "hosting " + n + " on the LAN");
      var json = ack("hosting", n, s).put("endpoint", server.endpoint()).put("path", "LAN");
      return publishAndStay(s, "hosting " + n + " (" + String.join(", ", offered) + ") on the LAN only, port "
          + server.port() + " (no node answered: nothing published in the DHT) as " + s.resolver().profile().name(),
          json, List.of(), List.of(n), agent::close);
    }

    private int serve(DialNumber n) {
      List<String> offered = services == null || services.isEmpty() ? List.of("chat", "echo") : services;
      AgentLink.services(offered);
      if (port < 0 || port > 65535) {
        throw new CliError("BAD_PORT", "--port " + port + " is not a port (0..65535)", CliError.EXIT_USAGE);
      }
      relays.forEach(AgentLink::relayUrl);
      if (relays.isEmpty() && !relayedOnly) {
        options.allowLanOnly(); // no node answers: host on the LAN alone
      }
      AgentSession s = open("host " + n);
      org.dialtone.agent.Agent agent = null;
      try {
        agent = AgentLink.agent(s, offered, options.timeout(), options.seeds(), options.lan());
        agent.onConnection(c -> {
          synchronized (this) {
            err().println("connection from " + c.peer().toHex().substring(0, 8) + " " + c.path());
            err().flush();
          }
          c.onChat(text -> {
            synchronized (this) {
              out().println("chat " + c.peer().toHex().substring(0, 8) + ": " + text);
              out().flush();
            }
          });
        });
        if (s.lanOnly()) {
          return hostOnLan(s, agent, n, offered);
        }
        List<String> useRelays = relays.isEmpty()
            ? s.await(agent.relays(), options.timeout(), "finding relays on 744-196884-0") : relays;
        if (useRelays.isEmpty()) {
          throw new CliError("NO_RELAY", "no bootstrap node announces a relay; give --endpoint or --relay",
              CliError.EXIT_FAILED);
        }
        org.dialtone.agent.AgentServer server = AgentLink.await(s,
            agent.host(n, relayedOnly ? org.dialtone.agent.HostPlan.relayed(port, useRelays)
                : org.dialtone.agent.HostPlan.auto(port, useRelays)), options.timeout(), "hosting " + n);
        String via = server.path() == org.dialtone.agent.ConnectionPath.RELAYED
            ? "relayed by " + server.reservation().map(r -> r.relay()).orElse("?") : "direct";
        org.dialtone.agent.Agent running = agent;
        var json = ack("hosting", n, s).put("endpoint", server.endpoint()).put("path", server.path().name());
        return publishAndStay(s, "hosting " + n + " (" + String.join(", ", offered) + ") at " + server.endpoint()
            + " (" + via + ") as " + s.resolver().profile().name(), json,
            List.of(), List.of(n), running::close); // its endpoint ends with it: nothing to carry
      } catch (RuntimeException e) {
        if (agent != null) {
          agent.close();
        }
        s.close();
        throw e;
      }
    }
  }

  @Command(name = "share", mixinStandardHelpOptions = true,
      description = "SHARE: recommend a number, from a number you are on.")
  static final class ShareCmd extends PublishingCommand {
    @Parameters(paramLabel = "NUMBER", description = "the number you recommend") String number;

    @Option(names = "--note", description = "why, at most 200 characters", defaultValue = "") String note;

    @Option(names = "--from", paramLabel = "NUMBER",
        description = "the number you say it on (default: the recommended number itself)")
    String from;

    @Override
    int run() {
      DialNumber n = number(number);
      DialNumber on = from == null ? n : number(from);
      Inputs.share(note, interests);
      AgentSession s = open("share " + n);
      try {
        s.await(s.resolver().announce(on), options.timeout(), "announcing on " + on);
        s.await(s.resolver().share(n, note, interests.toArray(String[]::new)), options.timeout(), "sharing " + n);
      } catch (CliError e) {
        s.close();
        throw e;
      }
      return publishAndStay(s, "shared " + n + " on " + on + (note.isEmpty() ? "" : " \"" + note + "\""),
          ack("shared", n, s), List.of(StandingPublications.Entry.announce(on, 0),
              StandingPublications.Entry.share(n, on, note, interests, 0)), List.of(on), () -> {});
    }
  }

  @Command(name = "find", mixinStandardHelpOptions = true, description = "Agents by interest.")
  static final class Find extends Base {
    @Option(names = "--interest", required = true, description = "a lowercase word, e.g. crypto") String interest;

    @Override
    int run() {
      Inputs.word("interest", interest);
      try (AgentSession s = options.openReading(err())) {
        List<AgentInfo> agents = s.await(s.resolver().findAgents(interest), options.timeout(),
            "finding agents interested in " + interest);
        seen(agents);
        print(Text.agents("interested in " + interest, agents), JsonViews.agents(agents));
        return 0;
      }
    }
  }

  @Command(name = "numbers", mixinStandardHelpOptions = true,
      description = {"Numbers by service (--service NAME), or the named numbers (--named).",
          "The primary shards are 744-196884-0 to 744-196884-70; 71 to 999 are the extended space, open to anyone "
              + "but without names (except 100, 200 and 300)."})
  static final class Numbers extends Base {
    @Option(names = "--service", description = "a lowercase word, e.g. games") String service;

    @Option(names = "--named", description = "list the primary shards 0..70 and the named numbers 100, 200, 300, "
        + "with their names (no network needed)")
    boolean named;

    @Override
    int run() {
      if (named == (service != null)) {
        throw new CliError("USAGE", "give either --service NAME or --named (see: dialtone numbers --help)",
            CliError.EXIT_USAGE);
      }
      if (named) {
        print(Text.namedNumbers(), JsonViews.namedNumbers(NamedList.numbers()));
        return 0;
      }
      Inputs.word("service", service);
      try (AgentSession s = options.openReading(err())) {
        List<NumberListing> l = s.await(s.resolver().findNumbers(service), options.timeout(),
            "finding numbers with " + service);
        seen(l.stream().map(NumberListing::host).toList());
        print(Text.listings(service, l), JsonViews.listings(l));
        return 0;
      }
    }
  }

  @Command(name = "request", mixinStandardHelpOptions = true,
      description = "REQUEST: how to reach an agent (its numbers and endpoints).")
  static final class Request extends Base {
    @Parameters(paramLabel = "AGENT", description = "the agent's key: 64 hex digits, or its first digits as dial, "
        + "find and watch print them (4 or more, unambiguous among the agents this CLI has seen)")
    String agent;

    @Override
    int run() {
      PublicKey key = PublicKey.ofHex(new SeenAgents(options.configDir()).resolve(agent));
      try (AgentSession s = options.openReading(err())) {
        AgentInfo a = s.await(s.resolver().request(key), options.timeout(), "requesting " + agent);
        print(Text.agentDetail(a), JsonViews.agent(a));
        return 0;
      }
    }
  }

  @Command(name = "watch", mixinStandardHelpOptions = true,
      description = "A live feed of a number: JOINED, LEFT, SHARED, HOSTING. Ctrl-C to stop.")
  static final class Watch extends Base {
    @Parameters(paramLabel = "NUMBER") String number;

    @Option(names = "--for", paramLabel = "SECONDS", description = "stop after this long (default: until Ctrl-C)")
    long forSeconds;

    @Override
    int run() {
      DialNumber n = number(number);
      AgentSession s = options.openReading(err());
      NumberResolver r = s.resolver();
      SeenAgents seen = new SeenAgents(options.configDir());
      NumberWatch w = r.watch(n, e -> {
        seen.remember(List.of(e.agent().agent().toHex()));
        synchronized (this) {
          out().println(options.json ? JsonViews.write(JsonViews.event(e)) : Text.event(e));
          out().flush();
        }
      });
      try {
        s.await(w.ready(), options.timeout(), "starting to watch " + n);
      } catch (CliError e) {
        s.close();
        throw e;
      }
      Signals signals = Signals.install(); // before "watching": a stop from then on is clean
      synchronized (this) {
        out().println(options.json ? JsonViews.write(JsonViews.watching(n)) : "watching " + n
            + (forSeconds > 0 ? " for " + forSeconds + " s" : "; Ctrl-C to stop"));
        out().flush();
      }
      signals.runUntilStopped(forSeconds, s::close); // closing the session ends the watch
      return 0;
    }
  }

  static com.fasterxml.jackson.databind.node.ObjectNode ack(String what, DialNumber n, AgentSession s) {
    return JsonViews.JSON.createObjectNode().put("status", what).put("number", n.toString())
        .put("agent", s.identity().publicKey().toHex()).put("name", s.resolver().profile().name());
  }
}
