package org.dialtone.dht.node;

import java.lang.System.Logger.Level;
import org.dialtone.dht.api.NodeMetrics;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.rpc.RequestLimiter;
import org.dialtone.dht.wire.DecodeException;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;

/**
 * Where every datagram the node receives goes first: it is counted and decoded (a bad one is dropped and counted by
 * reason, never answered); a response goes to the RPC layer, which matches it to a request; a request passes the
 * client-mode and per-host and per-network rate checks and goes to the {@link QueryServer}, or, for a NOTIFY, to the node's
 * watches; its sender is then offered to {@link Contacts}.
 */
public final class DatagramDispatcher {
  private static final System.Logger LOG = System.getLogger(DatagramDispatcher.class.getName());

  /** Takes the NOTIFYs this node receives: true when their key is watched here (and they were answered). */
  @FunctionalInterface
  public interface NotifyHandler {
    boolean onNotify(PeerAddress from, Message.Notify notify);
  }

  private final NodeContext ctx;
  private final QueryServer server;
  private final Contacts contacts;
  private final NotifyHandler watches;
  private final RequestLimiter rateLimiter;

  /** A dispatcher that serves through {@code server} and passes NOTIFYs to {@code watches}. */
  public DatagramDispatcher(NodeContext ctx, QueryServer server, Contacts contacts, NotifyHandler watches) {
    this.ctx = ctx;
    this.server = server;
    this.contacts = contacts;
    this.watches = watches;
    this.rateLimiter = new RequestLimiter(ctx.config.rateLimitPerSecond(), ctx.config.rateLimitBurst(),
        ctx.config.rateLimitTrackedAddresses(), ctx.config.routing().subnetLimitsForAllAddresses());
  }

  /** One datagram from {@code from} (node thread). Never throws: whatever goes wrong is counted and dropped. */
  public void onDatagram(PeerAddress from, byte[] datagram) {
    NodeMetrics m = ctx.metrics;
    m.inc(Counter.DATAGRAMS_IN);
    m.add(Counter.BYTES_IN, datagram.length);
    ctx.guard.onReceived(from, datagram.length, ctx.clock.monotonicMillis());
    try {
      Message message;
      try {
        message = MessageCodec.decode(datagram);
      } catch (DecodeException e) {
        m.inc(switch (e.reason()) {
          case TOO_LARGE -> Counter.DROPPED_OVERSIZED;
          case UNSUPPORTED_VERSION -> Counter.DROPPED_UNSUPPORTED_VERSION;
          default -> Counter.DROPPED_MALFORMED;
        });
        return;
      }
      if (message instanceof Message.Response response) {
        onResponse(from, response);
      } else if (message instanceof Message.Request request) {
        onRequest(from, request);
      }
    } catch (RuntimeException e) {
      m.inc(Counter.DROPPED_INTERNAL_ERROR);
      LOG.log(Level.WARNING, "dropped a datagram from " + from + " after an internal error", e);
    }
  }

  private void onResponse(PeerAddress from, Message.Response response) {
    if (ctx.rpc.onResponse(from, response)) {
      ctx.guard.markProven(from, ctx.clock.monotonicMillis()); // it received our request: a round trip
    } else {
      ctx.metrics.inc(Counter.DROPPED_UNSOLICITED);
    }
  }

  private void onRequest(PeerAddress from, Message.Request request) {
    NodeMetrics m = ctx.metrics;
    // A client accepts NOTIFY (how its watches hear of new records) and PING (how a node it asks learns that the
    // client receives, before answering it in full: AmplificationGuard).
    boolean notify = request instanceof Message.Notify;
    if (ctx.isClosed() || ctx.config.clientMode() && !notify && !(request instanceof Message.Ping)) {
      m.inc(Counter.DROPPED_NOT_SERVING);
      return;
    }
    if (!rateLimiter.tryAcquire(from, ctx.clock.nanoTime())) {
      m.inc(Counter.DROPPED_RATE_LIMITED);
      return;
    }
    if (request instanceof Message.Notify n) {
      if (!watches.onNotify(from, n)) {
        m.inc(Counter.DROPPED_NOT_SERVING); // not a key watched here: no reply, so no amplification
        return;
      }
    } else {
      server.handle(from, request);
    }
    contacts.onInboundRequest(request.sender(), from);
  }
}
