package org.dialtone.node.runner;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dialtone.agent.relay.RelayServer;
import org.dialtone.agent.relay.RelayServerOptions;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.DhtNodes;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.SequenceFloor;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.routing.Contact;
import org.dialtone.node.gateway.Gateway;
import org.dialtone.node.stun.StunResponder;
import org.dialtone.node.stun.StunServer;
import org.dialtone.node.log.StructuredLog;
import org.dialtone.node.metrics.NodeMeters;
import org.dialtone.node.state.DataDir;
import org.dialtone.node.state.StateFlusher;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.ResolverConfig;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.record.AgentInfo;

/**
 * A long-running DHT node with its data directory, its gateway and its place on {@code 744-196884-0}.
 *
 * <p>Start order: identity from the data directory; the UDP socket; the saved records restored (each verified
 * again, expired ones dropped); the saved contacts offered to the routing table; the gateway (answering 503 until
 * ready); then bootstrap through {@code --bootstrap} plus the saved contacts. Once ready, the node hosts
 * {@code 744-196884-0} with the service {@code bootstrap}, and every minute dials it to meet the other bootstrap
 * nodes (their records are signed with their node keys, so they become contacts directly).
 */
public final class NodeRunner implements AutoCloseable {
  private static final StructuredLog LOG = StructuredLog.of("node");
  static final Duration PEER_DISCOVERY_INTERVAL = Duration.ofSeconds(60);

  private final NodeSettings settings;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final DataDir dataDir;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dialtone-node-timer");
    t.setDaemon(true);
    return t;
  });
  private DhtNode node;
  private NumberResolver resolver;
  private Gateway gateway;
  private StunServer stun;
  private NodeMeters meters;
  private StateFlusher flusher;
  private org.dialtone.node.lan.LanService lan;
  private RelayServer relay;
  private volatile boolean closed;
  private volatile boolean started; // a node that failed to start did not run, so it does not log node.stopped
  private final long startedMillis = System.currentTimeMillis();
  private volatile List<PeerAddress> bootstrapPeers = List.of();

  private NodeRunner(NodeSettings settings, Vertx vertx, boolean ownsVertx) {
    this.settings = settings;
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.dataDir = new DataDir(settings.dataDir());
  }

  /** Starts a node on a Vert.x of its own; returns once the sockets are bound (bootstrap goes on in background). */
  public static NodeRunner start(NodeSettings settings) throws IOException {
    return start(settings, Vertx.vertx(), true);
  }

  /** Starts a node on {@code vertx}, which the caller keeps. */
  public static NodeRunner start(NodeSettings settings, Vertx vertx) throws IOException {
    return start(settings, vertx, false);
  }

  private static NodeRunner start(NodeSettings settings, Vertx vertx, boolean owns) throws IOException {
    NodeRunner r = new NodeRunner(settings, vertx, owns);
    try {
      r.startParts();
      r.started = true;
      return r;
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  private void startParts() throws IOException {
    Identity identity = dataDir.identity();
    List<SignedRecord> records = dataDir.loadRecords();
    List<Contact> contacts = dataDir.loadContacts();
    node = join(DhtNodes.startUdp(vertx, DhtConfig.defaults(), identity, settings.host(), settings.port()),
        "bind udp " + settings.host() + ":" + settings.port());
    int restored = join(node.restoreRecords(records), "restore records");
    int added = join(node.addContacts(contacts), "restore contacts");
    LOG.info("node.started", "id", node.id().toHex(), "udp", udpAddresses(node), "data_dir", dataDir.path(),
        "records_restored", restored + "/" + records.size(), "contacts_restored", added + "/" + contacts.size());
    // Sequence numbers from a file, so a restart with a clock that stepped back still renews its announcement.
    resolver = NumberResolver.create(node, identity,
        AgentProfile.named("bootstrap " + node.id().toHex().substring(0, 8)), ResolverConfig.defaults(),
        SequenceFloor.open(dataDir.sequenceFile()));
    flusher = new StateFlusher(node, dataDir, settings.flushInterval().toMillis());
    if (settings.lan()) {
      lan = LanLink.start(settings, node).orElse(null);
    }
    if (settings.relay().enabled()) {
      // TCP at the UDP port's number: the bootstrap record's udp://host:port names the relay too
      relay = join(RelayServer.start(vertx, org.dialtone.dht.time.Clock.system(), settings.firstHost(),
          node.address().port(), RelayServerOptions.of(settings.relay())),
          "bind tcp " + settings.firstHost() + ":" + node.address().port()
              + " for the relay (--relay=false: no relay)");
      LOG.info("relay.started", "tcp", settings.firstHost() + ":" + relay.port(), "max_circuits",
          settings.relay().maxCircuits(), "circuit_seconds", settings.relay().circuitMaxMillis() / 1000,
          "circuit_bytes", settings.relay().circuitMaxBytes());
    }
    if (settings.httpPort() >= 0) {
      meters = NodeMeters.create(node.metrics(), node::isReady);
      if (lan != null) {
        meters.bindLan(lan.counters());
      }
      if (relay != null) {
        meters.bindRelay(relay::stats);
      }
      gateway = join(Gateway.start(vertx, node, resolver, meters, settings.firstHost(), settings.httpPort()),
          "bind http " + settings.firstHost() + ":" + settings.httpPort());
      gateway.statusExtras(this::statusExtras);
    }
    Set<PeerAddress> seeds = new LinkedHashSet<>(settings.bootstrap());
    contacts.forEach(c -> seeds.add(c.address()));
    seeds.remove(node.address());
    LOG.info("node.bootstrapping", "seeds", seeds.size());
    node.bootstrap(List.copyOf(seeds)).whenComplete((v, e) -> {
      if (e != null) {
        LOG.warn("node.bootstrap_failed", "error", e.getMessage(), "retrying", "in background");
      }
    });
    node.ready().thenRun(this::onReady);
  }

  private void onReady() {
    if (closed) {
      return;
    }
    PeerAddress advertised = settings.advertise().orElse(node.address());
    LOG.info("node.ready", "id", node.id().toHex().substring(0, 16), "udp", udpAddresses(node), "advertised",
        advertised);
    if (advertised.inetAddress().isAnyLocalAddress()) {
      LOG.warn("node.not_announced", "why", "bound to a wildcard address; pass --advertise host:port");
    } else {
      (relay != null ? resolver.host(org.dialtone.resolver.number.DialNumber.BOOTSTRAP,
          List.of("bootstrap", "relay"), "udp://" + advertised) : resolver.announceBootstrap(advertised))
          .whenComplete((v, e) -> {
        if (e != null) {
          LOG.warn("node.announce_failed", "number", "744-196884-0", "error", e.getMessage());
        } else {
          LOG.info("node.announced", "number", "744-196884-0", "service", relay != null ? "bootstrap,relay"
              : "bootstrap");
        }
      });
    }
    timer.scheduleWithFixedDelay(this::meetBootstrapPeers, 2, PEER_DISCOVERY_INTERVAL.toSeconds(), TimeUnit.SECONDS);
  }

  /** Dials 744-196884-0 and admits the other bootstrap nodes that prove their keys at their announced addresses. */
  private void meetBootstrapPeers() {
    if (closed) {
      return;
    }
    resolver.discover(org.dialtone.resolver.number.DialNumber.BOOTSTRAP).thenCompose(roster -> {
      List<Contact> peers = new ArrayList<>();
      for (AgentInfo host : roster.hosts()) {
        if (host.agent().equals(node.publicKey())) {
          continue;
        }
        for (String endpoint : host.endpoints()) {
          if (endpoint.startsWith("udp://")) {
            try {
              peers.add(Contact.of(host.agent(), PeerAddress.parse(endpoint.substring("udp://".length()))));
            } catch (IllegalArgumentException e) {
              // not an address we can use
            }
          }
        }
      }
      // A HOST record is self-signed by anyone: its endpoint proves its key like any contact before it is admitted.
      return node.verifyContacts(peers).thenAccept(n -> {
        bootstrapPeers = peers.stream().map(Contact::address).toList();
        LOG.info("node.bootstrap_peers", "found", peers.size(), "new", n);
      });
    }).exceptionally(e -> {
      LOG.debug("node.bootstrap_peers_failed", "error", e.getMessage());
      return null;
    });
  }

  /**
   * Answers STUN Binding requests on UDP {@code port} of the node's host (RFC 8489), so that browsers and agents learn
   * their public address from our own nodes. A port that cannot be bound is logged ({@code stun.unavailable}) and the
   * node runs on without STUN.
   *
   * @return the port bound, or -1
   */
  public int startStun(int port) {
    try {
      StunServer s = join(StunServer.start(vertx, settings.firstHost(), port,
          new StunResponder(StunResponder.defaultLimits()), System::nanoTime), "bind stun");
      stun = s;
      if (meters != null) {
        meters.bindStun(result -> s.responder().count(StunResponder.Counter.valueOf(result.toUpperCase())),
            java.util.Arrays.stream(StunResponder.Counter.values()).map(c -> c.name().toLowerCase()).toList());
      }
      LOG.info("stun.listening", "udp", settings.firstHost() + ":" + s.port());
      return s.port();
    } catch (IOException | RuntimeException e) {
      LOG.warn("stun.unavailable", "udp", settings.firstHost() + ":" + port, "error", StructuredLog.causeChain(e));
      return -1;
    }
  }

  /** The STUN port, or -1 without one. */
  public int stunPort() {
    StunServer s = stun;
    return s == null ? -1 : s.port();
  }

  /** What {@code /status} adds for a running node: the advertised address, data directory, uptime, peers met. */
  private com.fasterxml.jackson.databind.node.ObjectNode statusExtras() {
    var o = org.dialtone.node.gateway.JsonViews.JSON.createObjectNode();
    o.put("advertised", settings.advertise().orElse(node.address()).toString());
    o.put("dataDir", dataDir.path().toString());
    o.put("relay", relay != null ? "tcp " + settings.firstHost() + ":" + relay.port() : "off");
    if (relay != null) {
      // What the relay learnt of the agents it serves: how many a dial-back reached (no NAT in the way) and how many
      // it did not (reserved behind a NAT instead).
      var rs = relay.stats();
      o.putObject("relayUse").put("reservations", rs.reservations()).put("circuits", rs.circuits())
          .put("dialBacksReached", rs.dialBacksReachable())
          .put("dialBacksUnreached", rs.dialBacks() - rs.dialBacksReachable());
    }
    o.put("uptimeSeconds", (System.currentTimeMillis() - startedMillis) / 1000);
    if (stunPort() >= 0) {
      o.put("stun", "stun:" + settings.advertise().orElse(node.address()).inetAddress().getHostAddress() + ":"
          + stunPort());
    }
    var peers = o.putArray("bootstrapPeers");
    bootstrapPeers.forEach(p -> peers.add(p.toString()));
    var lanView = o.putObject("lan");
    lanView.put("on", lan != null);
    if (lan != null) {
      var links = lanView.putArray("links");
      lan.linkNames().forEach(links::add);
      var verified = lanView.putArray("verifiedPeers");
      lan.verifiedPeers().forEach(p -> verified.add(p.address().toString()));
    }
    return o;
  }

  /**
   * The endpoints the last look at 744-196884-0 found, once each was asked to prove its key there (only those that did
   * entered the routing table); empty before the first look.
   */
  public List<PeerAddress> bootstrapPeers() {
    return bootstrapPeers;
  }

  public DhtNode node() {
    return node;
  }

  public NumberResolver resolver() {
    return resolver;
  }

  /** The gateway's port, or -1 without one. */
  public int httpPort() {
    return gateway == null ? -1 : gateway.port();
  }

  public DataDir dataDir() {
    return dataDir;
  }

  /** Writes contacts and records now if they changed. */
  public boolean flush() throws IOException {
    return flusher.flushNow();
  }

  /**
   * Stops cleanly: the gateway stops taking requests, the state is flushed a last time, the node leaves
   * 744-196884-0 (a signed tombstone), and the sockets close. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    if (lan != null) {
      quietly("lan.close", lan::close);
    }
    if (gateway != null) {
      quietly("gateway.close", gateway::close);
    }
    if (stun != null) {
      quietly("stun.close", stun::close);
    }
    if (meters != null) {
      quietly("metrics.close", meters::close);
    }
    if (relay != null) {
      quietly("relay.close", () -> relay.closeAsync().get(3, TimeUnit.SECONDS));
    }
    if (flusher != null) {
      quietly("state.final_flush", () -> {
        flusher.flushNow();
        flusher.close();
      });
    }
    if (resolver != null) {
      quietly("resolver.close", () -> resolver.closeAsync().get(3, TimeUnit.SECONDS));
    }
    if (node != null) {
      quietly("node.close", () -> node.closeAsync().get(5, TimeUnit.SECONDS));
    }
    if (ownsVertx) {
      quietly("vertx.close", () -> vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
    if (started) {
      LOG.info("node.stopped", "data_dir", dataDir.path());
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void quietly(String what, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      LOG.warn("node.shutdown_step_failed", e, "step", what);
    }
  }

  private static <T> T join(CompletableFuture<T> f, String what) throws IOException {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + ": interrupted", e);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException(what + ": " + cause.getMessage(), cause);
    }
  }

  // The node's UDP address, or for a dual-stack node both (IPv4 first), comma-separated.
  private static String udpAddresses(org.dialtone.dht.DhtNode node) {
    return String.join(",", node.addresses().stream().map(Object::toString).toList());
  }
}
