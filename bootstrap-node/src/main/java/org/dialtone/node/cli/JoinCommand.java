package org.dialtone.node.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dialtone.agent.Agent;
import org.dialtone.agent.AgentConnection;
import org.dialtone.agent.ConnectionPath;
import org.dialtone.agent.JoinOptions;
import org.dialtone.agent.NumberSwarm;
import org.dialtone.resolver.number.DialNumber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dialtone join NUMBER}: a small chat room with everyone who joined the number. Hosts the number (directly, or
 * through a relay behind a NAT), connects to every other member, sends each line of standard input to all of them
 * and prints what they say. Stays until Ctrl-C or SIGTERM (the end of input does not leave), then leaves the number.
 */
@Command(name = "join", mixinStandardHelpOptions = true,
    description = {"A chat room on a number: connect to everyone who joined it, directly or through a relay.",
        "Each line of standard input goes to every member; what they say is printed as 'KEY8: text' (the first 8 "
            + "hex digits of their key). Members connecting and going are printed as '+ KEY8 PATH' (DIRECT, "
            + "RELAYED or PUNCHED: a relayed connection moved to a punched path is printed again) and '- KEY8'; how "
            + "each punch ended goes to standard error.",
        "Stays until Ctrl-C or SIGTERM, then leaves the number (the end of input does not leave).",
        "With --browsers http://HOST:PORT (a node's gateway), people at that node's web page who joined the number "
            + "see it on the roster and can chat with it over WebRTC: '+ KEY8 BROWSER in N ms', 'KEY8: text', "
            + "'- KEY8'. Needs Debian's libpulse0 (WEBRTC_UNAVAILABLE otherwise)."})
final class JoinCommand extends PublishingCommand {
  @Parameters(paramLabel = "NUMBER", description = "a number or a name") String number;

  @Option(names = "--max-peers", defaultValue = "32", paramLabel = "N",
      description = "members to keep connections with at once (default: ${DEFAULT-VALUE})")
  int maxPeers;

  @Option(names = "--relay", split = ",", paramLabel = "ws://HOST:PORT",
      description = "relays to try when not reachable directly (default: those on 744-196884-0)")
  List<String> relays = new ArrayList<>();

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
      description = "local TCP port to take calls on (default: any free one)")
  int port;

  @Option(names = "--punch", defaultValue = "true", negatable = true, fallbackValue = "true", arity = "0..1",
      description = "move each relayed connection this room dials to a punched UDP path where the NATs allow "
          + "(default: ${DEFAULT-VALUE}; --punch=false keeps them relayed)")
  boolean punch;

  @Option(names = "--browsers", paramLabel = "http://HOST:PORT",
      description = "also chat with browsers at this node's web page: on the roster, calls answered over WebRTC, "
          + "signals through the node's gateway")
  String browsers;

  @Option(names = "--call-browser", paramLabel = "KEY",
      description = "with --browsers: call this browser agent (its 64-hex-digit key) once the inbox is attached")
  String callBrowser;

  private volatile BrowserLink browserLink;

  @Override
  int run() {
    DialNumber n = AgentCommands.number(number);
    if (maxPeers < 1 || maxPeers > 1024) {
      throw new CliError("BAD_OPTION", "--max-peers " + maxPeers + " is not 1..1024", CliError.EXIT_USAGE);
    }
    if (port < 0 || port > 65535) {
      throw new CliError("BAD_PORT", "--port " + port + " is not a port (0..65535)", CliError.EXIT_USAGE);
    }
    relays.forEach(AgentLink::relayUrl);
    java.net.URI gateway = browsers == null ? null : BrowserLink.gateway(browsers);
    org.dialtone.dht.crypto.PublicKey toCall = callBrowser == null ? null : BrowserLink.browserKey(callBrowser);
    if (toCall != null && gateway == null) {
      throw new CliError("USAGE", "--call-browser needs --browsers http://HOST:PORT (the node both are attached to)",
          CliError.EXIT_USAGE);
    }
    if (once) {
      throw new CliError("USAGE", "join stays until Ctrl-C or SIGTERM; --once does not apply to a room",
          CliError.EXIT_USAGE);
    }
    AgentSession s = open("join " + n);
    Agent agent = null;
    try {
      agent = AgentLink.agent(s, AgentLink.SERVED, options.timeout(), options.seeds());
      if (gateway != null) {
        // the inbox before the room: the page lists the number's hosts on its roster, so whoever sees this agent there
        // must be able to call it (a PRESENCE record is not published: it would replace the HOST record, one record
        // per publisher under a key)
        browserLink = BrowserLink.open(s, gateway, this::line, this::warn);
      }
      JoinOptions join = JoinOptions.builder().maxPeers(maxPeers).relays(relays).port(port).punch(punch)
          .build();
      NumberSwarm swarm = AgentLink.await(s, agent.join(n, join), options.timeout(), "joining " + n);
      swarm.onPeerGone(k -> line("- " + k.toHex().substring(0, 8)));
      swarm.onPeer(this::arrived);
      swarm.onPunch(p -> warn("punch " + p.connection().peer().toHex().substring(0, 8) + ": " + p.describe()
          + " (our NAT " + p.ourNat() + ", theirs " + p.theirNat() + ") in " + p.millis() + " ms"));
      String via = swarm.server().path() == ConnectionPath.RELAYED
          ? "relayed by " + swarm.server().reservation().map(r -> r.relay()).orElse("?") : "direct";
      if (toCall != null) {
        browserLink.call(toCall, this::warn); // now that the page can see this agent on the roster, by its name
      }
      BrowserLink link = browserLink;
      Agent running = agent;
      Thread reader = new Thread(() -> readLines(swarm), "dialtone-join-stdin");
      reader.setDaemon(true);
      reader.start();
      return publishAndStay(s, "joined " + n + " as " + s.resolver().profile().name() + " ("
          + s.identity().publicKey().toHex() + ") at " + swarm.server().endpoint() + " (" + via + ")"
          + (gateway == null ? "" : "\nbrowsers can chat with it at " + gateway + "/?dial=" + n),
          AgentCommands.ack("joined", n, s).put("endpoint", swarm.server().endpoint())
              .put("path", swarm.server().path().name()),
          List.of(), List.of(n), () -> {
            if (link != null) {
              link.close();
            }
            swarm.close();
            running.close();
          });
    } catch (RuntimeException e) {
      if (browserLink != null) {
        browserLink.close();
      }
      if (agent != null) {
        agent.close();
      }
      s.close();
      throw e;
    }
  }

  private void arrived(AgentConnection c) {
    String who = c.peer().toHex().substring(0, 8);
    line("+ " + who + " " + c.path());
    c.onChat(text -> line(who + ": " + text));
  }

  private synchronized void line(String text) {
    out().println(text);
    out().flush();
  }

  private synchronized void warn(String text) {
    err().println(text);
    err().flush();
  }

  private void readLines(NumberSwarm swarm) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String l;
      while ((l = in.readLine()) != null) {
        for (AgentConnection c : swarm.peers()) {
          c.chat(l);
        }
        BrowserLink link = browserLink;
        if (link != null) {
          link.say(l, this::warn);
        }
      }
    } catch (java.io.IOException e) {
      // the room stays; only typing ends
    }
  }
}
