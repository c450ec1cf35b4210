package org.dialtone.agent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.dialtone.agent.quic.PunchChannel;
import org.dialtone.agent.reach.nat.NatClassifier;
import org.dialtone.agent.reach.nat.NatSampling;
import org.dialtone.agent.reach.nat.NatVerdict;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Clock;

/**
 * Our NAT as the bootstrap nodes' STUN servers see it from one UDP socket (a punch's, or a fresh one for
 * {@link #check}): asks at most {@value #MAX_STUN_SERVERS} of them for the socket's public mapping and classifies the
 * answers ({@link NatClassifier}); keeps the latest verdict with the last relay dial-back's result ({@link NatStatus}).
 * A server that does not answer within {@value #STUN_TIMEOUT_MILLIS} ms is left out; fewer than two answering gives
 * UNKNOWN.
 */
final class NatCheck {
  /** Where every node serves STUN (bootstrap-node's default). */
  static final int STUN_PORT = 3478;
  static final long STUN_TIMEOUT_MILLIS = 2_000;
  /** STUN servers asked per classification. */
  static final int MAX_STUN_SERVERS = 4;

  private final Clock clock;
  private final int stunPort;
  private final AtomicReference<NatStatus> status = new AtomicReference<>(NatStatus.unknown());

  NatCheck(Clock clock) {
    this(clock, STUN_PORT);
  }

  /** Asks STUN on {@code stunPort} of each relay's host ({@value #STUN_PORT} but in tests). */
  NatCheck(Clock clock, int stunPort) {
    this.clock = clock;
    this.stunPort = stunPort;
  }

  /** What we know: the latest verdict, when it was made, the last dial-back's result. */
  NatStatus status() {
    return status.get();
  }

  /** Our NAT's latest classification (UNKNOWN before any). */
  NatVerdict lastVerdict() {
    return status.get().nat();
  }

  /** Classifies a fresh UDP socket's mapping (no punch), then closes that socket. */
  CompletableFuture<NatStatus> check(List<String> relays) {
    return PunchChannel.open(clock).thenCompose(ch -> classify(ch, relays).whenComplete((v, e) -> ch.close()))
        .thenApply(v -> status());
  }

  /** Asks the STUN servers at the hosts of {@code relays} (as {@code ws://host:port}) for {@code ch}'s mapping. */
  CompletableFuture<NatVerdict> classify(PunchChannel ch, List<String> relays) {
    NatClassifier classifier = new NatClassifier(clock, NatSampling.chosenReporters());
    List<CompletableFuture<Void>> asked = new ArrayList<>();
    for (String relay : relays.subList(0, Math.min(MAX_STUN_SERVERS, relays.size()))) {
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
  }

  /** Records a relay's dial-back result. */
  void dialedBack(boolean reached) {
    status.updateAndGet(s -> s.withReachable(reached));
  }
}
