package org.dialtone.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dialtone.node.gateway.JsonViews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dialtone status}: what a running node says about itself, read from its gateway's {@code /status}. */
@Command(name = "status", mixinStandardHelpOptions = true, subcommands = NatStatusCommand.class,
    description = {"A running node: id, addresses, routing table, records, peers (from its gateway's /status).",
        "status nat: this agent's NAT, from the bootstrap nodes' STUN servers."})
public final class StatusCommand implements Callable<Integer> {
  @Option(names = "--node", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8440",
      description = "the node's gateway (its --http-port) (default: ${DEFAULT-VALUE}; env DIALTONE_NODE)")
  String gateway;

  @Option(names = "--json", description = "print the node's JSON as it is")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "how long to wait for the answer (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!gateway.matches("[A-Za-z0-9.\\-]+:\\d{1,5}|\\[[0-9a-fA-F:]+\\]:\\d{1,5}")) {
      throw new CliError("BAD_OPTION", "--node '" + gateway + "' is not host:port (the node's --http-port)",
          CliError.EXIT_USAGE);
    }
    if (timeoutSeconds < 1) {
      throw new CliError("BAD_TIMEOUT", "--timeout must be at least 1 second", CliError.EXIT_USAGE);
    }
    URI uri = URI.create("http://" + gateway + "/status");
    HttpResponse<String> resp;
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(timeoutSeconds)).build();
      resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(timeoutSeconds)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliError("NOT_RUNNING", "no node answers at " + uri + " ("
          + (e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage())) + "); is it running, with --http-port "
          + gateway.substring(gateway.lastIndexOf(':') + 1) + "? (--node HOST:PORT)", CliError.EXIT_FAILED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliError("INTERRUPTED", "interrupted", CliError.EXIT_FAILED);
    }
    JsonNode body;
    try {
      body = JsonViews.JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new CliError("BAD_ANSWER", uri + " did not answer JSON (HTTP " + resp.statusCode() + "): is that a "
          + "dialtone node?", CliError.EXIT_FAILED);
    }
    if (resp.statusCode() != 200) {
      throw new CliError(body.path("error").asText("HTTP_" + resp.statusCode()),
          body.path("message").asText(uri + " answered " + resp.statusCode()), CliError.EXIT_FAILED);
    }
    var out = spec.commandLine().getOut();
    out.print(json ? JsonViews.pretty(body) + "\n" : text(body));
    out.flush();
    return 0;
  }

  static String text(JsonNode s) {
    List<String> peers = new ArrayList<>();
    s.path("peers").forEach(p -> peers.add(p.path("udp").asText() + " (" + p.path("id").asText().substring(0,
        Math.min(8, p.path("id").asText().length())) + ")"));
    List<String> boots = new ArrayList<>();
    s.path("bootstrapPeers").forEach(p -> boots.add(p.asText()));
    long up = s.path("uptimeSeconds").asLong(-1);
    return "node " + s.path("id").asText() + "\n"
        + "  status      " + s.path("status").asText() + (up >= 0 ? ", up " + duration(up) : "") + "\n"
        + "  udp         " + s.path("udp").asText()
        + (s.has("advertised") ? " (advertised " + s.path("advertised").asText() + ")" : "") + "\n"
        + "  http        " + s.path("http").asText() + "\n"
        + (s.has("dataDir") ? "  data        " + s.path("dataDir").asText() + "\n" : "")
        + relay(s)
        + (s.has("stun") ? "  stun        " + s.path("stun").asText() + "\n" : "")
        + "  routing     " + s.path("routingTable").asInt() + " contacts\n"
        + "  records     " + s.path("records").asInt() + " held for others\n"
        + "  watchers    " + s.path("watchers").asInt() + " open WebSocket watches\n"
        + "  bootstrap   " + (boots.isEmpty() ? "-" : String.join(", ", boots)) + "\n"
        + "  peers       " + (peers.isEmpty() ? "-" : String.join(", ", peers)
        + (s.path("routingTable").asInt() > peers.size() ? ", ..." : "")) + "\n";
  }

  /** The relay line: where, what it holds, and its dial-backs (agents reachable directly, or behind a NAT). */
  private static String relay(JsonNode s) {
    if (!s.has("relay")) {
      return "";
    }
    JsonNode use = s.path("relayUse");
    return "  relay       " + s.path("relay").asText() + (use.isMissingNode() ? "" : ": "
        + use.path("reservations").asInt() + " reservations, " + use.path("circuits").asInt() + " circuits; "
        + "dial-backs " + use.path("dialBacksReached").asLong() + " reached, " + use.path("dialBacksUnreached").asLong()
        + " not (behind a NAT)") + "\n";
  }

  private static String duration(long seconds) {
    return seconds < 120 ? seconds + " s" : seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h";
  }
}
