package org.dialtone.node.cli;

import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.dialtone.agent.webrtc.BrowserChat;
import org.dialtone.agent.webrtc.BrowserReach;
import org.dialtone.agent.webrtc.rtc.WebRtcUnavailableException;
import org.dialtone.agent.webrtc.signal.ChatText;
import org.dialtone.node.gateway.ApiError;

/**
 * {@code join --browsers URL}: the room's agent also chats with browsers. It attaches its signal inbox on the node's
 * gateway at URL and answers the page's calls over WebRTC; each browser is printed as {@code + KEY8 BROWSER in N ms},
 * what it says as {@code KEY8: text} (control characters shown as spaces) and its leaving as {@code - KEY8}; a signal
 * the agent refuses is printed on standard error with its reason, and so is the inbox closing (a node restart) and
 * coming back: the agent attaches it again by itself.
 */
final class BrowserLink implements AutoCloseable {
  private final BrowserReach reach;
  /** The chats open now: filled by the arrival handler, read by {@link #say}. */
  private final Set<BrowserChat> chats;

  private final Consumer<BrowserChat> arrived;

  private BrowserLink(BrowserReach reach, Set<BrowserChat> chats, Consumer<BrowserChat> arrived) {
    this.reach = reach;
    this.chats = chats;
    this.arrived = arrived;
  }

  /** Checks {@code --call-browser}: a browser agent's key, 64 hex digits. */
  static org.dialtone.dht.crypto.PublicKey browserKey(String text) {
    if (text.matches("[0-9a-fA-F]{64}")) {
      return org.dialtone.dht.crypto.PublicKey.ofHex(text.toLowerCase(java.util.Locale.ROOT));
    }
    throw new CliError("BAD_KEY", "--call-browser takes a browser agent's key, 64 hex digits, not '" + text + "'",
        CliError.EXIT_USAGE);
  }

  /**
   * Calls a browser agent attached to the same node: its chat is then printed as one that called in, marked
   * {@code (called)}; a failure is one line on standard error and the room goes on.
   */
  void call(org.dialtone.dht.crypto.PublicKey browser, Consumer<String> warn) {
    reach.call(browser).whenComplete((chat, e) -> {
      if (e != null) {
        warn.accept("could not call " + browser.toHex().substring(0, 8) + ": "
            + String.valueOf(ApiError.unwrap(e).getMessage()));
      } else {
        arrived.accept(chat);
      }
    });
  }

  /** Checks {@code --browsers}: http://HOST:PORT of a node's gateway, before anything touches the network. */
  static URI gateway(String url) {
    try {
      URI u = URI.create(url);
      if ("http".equals(u.getScheme()) && u.getHost() != null && u.getPort() > 0
          && (u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"))
          && u.getRawQuery() == null) {
        return URI.create("http://" + u.getRawAuthority());
      }
    } catch (IllegalArgumentException e) {
      // below
    }
    throw new CliError("BAD_GATEWAY_URL", "--browsers takes a node's gateway as http://HOST:PORT, not '" + url + "'",
        CliError.EXIT_USAGE);
  }

  /** Attaches the inbox; {@code line} prints one line of output, {@code warn} one on standard error. */
  static BrowserLink open(AgentSession s, URI gateway, Consumer<String> line, Consumer<String> warn) {
    Set<BrowserChat> chats = ConcurrentHashMap.newKeySet();
    Consumer<BrowserChat> arrived = chat -> {
      String who = chat.peer().toHex().substring(0, 8);
      chats.add(chat);
      line.accept("+ " + who + " BROWSER in " + chat.millis() + " ms" + (chat.called() ? " (called)" : ""));
      chat.onMessage(text -> ChatText.incoming(text).ifPresent(t -> line.accept(who + ": " + t)));
      chat.closed().thenRun(() -> {
        chats.remove(chat);
        line.accept("- " + who);
      });
    };
    BrowserReach reach = s.await(BrowserReach.open(s.vertx(), s.identity(), gateway, arrived).handle((r, e) -> {
        if (e == null) {
          return r;
        }
        Throwable cause = ApiError.unwrap(e);
        if (cause instanceof WebRtcUnavailableException w) {
          throw new CliError("WEBRTC_UNAVAILABLE", w.getMessage(), CliError.EXIT_FAILED);
        }
        String m = String.valueOf(cause.getMessage());
        int colon = m.indexOf(": ");
        if (colon > 0 && m.substring(0, colon).matches("[A-Z_0-9]+")) {
          throw new CliError(m.substring(0, colon), m.substring(colon + 2) + " (signal inbox at " + gateway + ")",
              CliError.EXIT_FAILED);
        }
        throw new CliError("BROWSERS_UNAVAILABLE", "no signal inbox at " + gateway + ": " + m,
            CliError.EXIT_FAILED);
      }), java.time.Duration.ofSeconds(30), "attaching the signal inbox at " + gateway);
    // the directory record names the inbox's node, so pages on other nodes can signal this agent through theirs
    // (said before the room: the join publishes it); without it, browsers on this node only can call
    reach.nodeEndpoint().ifPresent(node -> s.resolver().reachAlsoAt(node).exceptionally(e -> {
      warn.accept("browsers on other nodes cannot call: " + ApiError.unwrap(e).getMessage());
      return null;
    }));
    BrowserLink link = new BrowserLink(reach, chats, arrived);
    reach.onRefused((error, why) -> warn.accept("signal refused: " + error + ": "
        + why.replaceFirst("^" + error + ": ", "") + " ("
        + reach.refusedSignals().values().stream().mapToLong(Long::longValue).sum() + " in all)"));
    AtomicReference<Optional<String>> named = new AtomicReference<>(reach.nodeEndpoint());
    reach.onInboxChange((up, why) -> {
      if (link.closing) {
        return;
      }
      if (!up) {
        warn.accept("browsers cannot call until the signal inbox is back: " + why + "; attaching it again");
        return;
      }
      warn.accept("browsers can call again: the signal inbox is " + why);
      // a different node on the gateway's address: name it too, so that pages on other nodes still find it
      Optional<String> node = reach.nodeEndpoint();
      if (node.isPresent() && !node.equals(named.getAndSet(node))) {
        s.resolver().reachAlsoAt(node.get()).exceptionally(e -> {
          warn.accept("browsers on other nodes cannot call: " + ApiError.unwrap(e).getMessage());
          return null;
        });
      }
    });
    return link;
  }

  private volatile boolean closing;

  /** Sends a line typed to every browser chatting with this agent; an over-long line is skipped with a warning. */
  void say(String text, Consumer<String> warn) {
    if (text.isEmpty()) {
      return;
    }
    try {
      String line = ChatText.outgoing(text);
      for (BrowserChat c : chats) {
        if (!c.send(line)) {
          warn.accept("not sent to " + c.peer().toHex().substring(0, 8) + ": its channel is closed or full");
        }
      }
    } catch (IllegalArgumentException e) {
      warn.accept("not sent to browsers: " + e.getMessage());
    }
  }

  /** This agent's key, as browsers see it on the roster. */
  String key() {
    return reach.key().toHex();
  }

  @Override
  public void close() {
    closing = true;
    chats.forEach(BrowserChat::close);
    reach.close();
  }
}
