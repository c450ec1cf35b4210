package org.dialtone.agent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.dialtone.agent.quic.PunchChannel;
import org.dialtone.agent.reach.nat.NatClassifier;
import org.dialtone.agent.reach.nat.NatSampling;
import org.dialtone.agent.reach.nat.NatVerdict;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Clock;

/**
 * Classifies this agent's NAT from its bootstrap nodes' STUN servers and keeps what the agent last learnt of its
 * place on the network ({@link NatStatus}): the NAT verdict (from a punch's socket, or from a check on a socket of its
 * own) and the result of the last relay dial-back.
 */
final class NatCheck {
  /** Where every node serves STUN (bootstrap-node's default). */
  static final int STUN_PORT = 3478;
  static final long STUN_TIMEOUT_MILLIS = 2_000;
  /** STUN servers asked per classification. */
  static final int MAX_STUN_SERVERS = 4;

  private final Clock clock;
  private final Supplier<CompletableFuture<List<String>>> relays;
  private final int stunPort;
  private final AtomicReference<NatStatus> status = new AtomicReference<>(NatStatus.unknown());

  /**
   * {@code relays}: the relays announced by bootstrap nodes ({@code ws://host:port}); their hosts serve STUN on
   * {@code stunPort} ({@value #STUN_PORT} but in tests).
   */
  NatCheck(Clock clock, Supplier<CompletableFuture<List<String>>> relays, int stunPort) {
    this.clock = clock;
    this.relays = relays;
    this.stunPort = stunPort;
  }

  NatStatus status() {
    return status.get();
  }

  /** Classifies a fresh UDP socket's mapping (no punch), then closes that socket. */
  CompletableFuture<NatStatus> check() {
    return PunchChannel.open(clock).thenCompose(ch -> classify(ch).whenComplete((v, e) -> ch.close()))
        .thenApply(v -> status());
  }

  /** Asks up to {@value #MAX_STUN_SERVERS} bootstrap nodes' STUN servers for {@code ch}'s mapping; classifies it. */
  CompletableFuture<NatVerdict> classify(PunchChannel ch) {
    return relays.get().exceptionally(e -> List.of()).thenCompose(rs -> {
      NatClassifier classifier = new NatClassifier(clock, NatSampling.chosenReporters());
      List<CompletableFuture<Void>> asked = new ArrayList<>();
      for (String relay : rs.subList(0, Math.min(MAX_STUN_SERVERS, rs.size()))) {
        InetSocketAddress server;
        try {
          server = new InetSocketAddress(InetAddress.getByName(URI.create(relay).getHost()), stunPort);
        } catch (java.io.IOException | IllegalArgumentException e) {
          continue;
        }
        PeerAddress reporter = PeerAddress.of(server);
        asked.add(ch.mapping(server, STUN_TIMEOUT_MILLIS).handle((mapped, e) -> {
          if (e == null) {
            synchronized (classifier) {
              classifier.observe(reporter, mapped);
            }
          }
          return null;
        }));
      }
      return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(v -> {
        NatVerdict verdict;
        synchronized (classifier) {
          verdict = classifier.verdict();
        }
        long now = clock.epochMillis();
        status.updateAndGet(s -> s.withNat(verdict, now));
        return verdict;
      });
    });
  }

  /** Records a relay's dial-back result. */
  void dialedBack(boolean reached) {
    status.updateAndGet(s -> s.withReachable(reached));
  }
}
