package org.dialtone.node.cli;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dialtone.agent.Agent;
import org.dialtone.agent.AgentOptions;
import org.dialtone.agent.Service;
import org.dialtone.agent.Services;
import org.dialtone.dht.net.PeerAddress;

/** What {@code host} (without --endpoint) and {@code connect} share: an agent on the command's session. */
final class AgentLink {
  /** The services a command-line agent serves itself. */
  static final List<String> SERVED = List.of(Services.CHAT, Services.ECHO);

  private AgentLink() {}

  /**
   * Waits for an agent operation: an {@link org.dialtone.agent.error.AgentException} becomes a one-line error with its
   * code (NOT_FOUND, RELAY_REFUSED, WRONG_KEY...), exit 1.
   */
  static <T> T await(AgentSession s, java.util.concurrent.CompletableFuture<T> f, Duration timeout, String what) {
    return s.await(f.handle((v, e) -> {
      if (e == null) {
        return v;
      }
      Throwable cause = org.dialtone.node.gateway.ApiError.unwrap(e);
      if (cause instanceof org.dialtone.agent.error.AgentException a) {
        String message = String.valueOf(a.getMessage()).replaceFirst("^" + a.code().name() + ": ", "");
        throw new CliError(a.code().name(), message, CliError.EXIT_FAILED);
      }
      throw e instanceof java.util.concurrent.CompletionException ce ? ce
          : new java.util.concurrent.CompletionException(e);
    }), timeout, what);
  }

  /** Refuses services this command cannot serve itself (a usage error). */
  static void services(List<String> names) {
    for (String s : names) {
      if (!SERVED.contains(s)) {
        throw new CliError("UNKNOWN_SERVICE", "this command serves " + String.join(" and ", SERVED) + ", not "
            + s + " (for services that run elsewhere, give --endpoint)", CliError.EXIT_USAGE);
      }
    }
  }

  /** Checks a relay URL: ws://host:port. */
  static String relayUrl(String url) {
    try {
      URI u = URI.create(url);
      if ("ws".equals(u.getScheme()) && u.getHost() != null && u.getPort() > 0
          && (u.getRawPath() == null || u.getRawPath().isEmpty())) {
        return url;
      }
    } catch (IllegalArgumentException e) {
      // below
    }
    throw new CliError("BAD_RELAY", "--relay " + url + " is not ws://host:port", CliError.EXIT_USAGE);
  }

  /**
   * An agent speaking through the session's node and resolver, serving {@code services} (chat, echo), listening on
   * every interface unless every seed is on loopback, waiting up to {@code timeout} for each handshake.
   */
  static Agent agent(AgentSession s, List<String> services, Duration timeout, List<PeerAddress> seeds) {
    return agent(s, services, timeout, seeds, false);
  }

  /**
   * As {@link #agent(AgentSession, List, Duration, List)}; with {@code lan}, and when it listens beyond loopback, it
   * also finds numbers' hosts on the LAN and answers there for the numbers it hosts (mDNS, {@link
   * org.dialtone.agent.Agent#useLan}).
   */
  static Agent agent(AgentSession s, List<String> services, Duration timeout, List<PeerAddress> seeds,
      boolean lan) {
    Map<String, Service> served = new LinkedHashMap<>();
    for (String name : services) {
      served.put(name, name.equals(Services.CHAT) ? Services.chat() : Services.echo());
    }
    // on loopback when its node is; a session on the LAN alone (no node answered) listens on the LAN
    boolean loopback = seeds.stream().allMatch(p -> p.inetAddress().isLoopbackAddress()) && !s.lanOnly();
    AgentOptions options = AgentOptions.builder().host(loopback ? "127.0.0.1" : "0.0.0.0")
        .handshakeTimeout(timeout).build();
    Agent agent = Agent.using(s.vertx(), s.node(), s.identity(), s.resolver(), served, options);
    if (lan && !loopback) {
      s.lanHosts().ifPresent(agent::useLan);
    }
    return agent;
  }
}
