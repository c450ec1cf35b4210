package org.dialtone.agent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dialtone.agent.quic.PunchChannel;
import org.dialtone.agent.reach.nat.NatClassifier;
import org.dialtone.agent.reach.nat.NatSampling;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.nat.NatVerdict;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Clock;

/**
 * Our NAT as the bootstrap nodes' STUN servers see it from one punch socket: asks at most {@value #MAX_STUN_SERVERS}
 * of them for the socket's public mapping and classifies the answers ({@link NatClassifier}); keeps the latest verdict.
 * A server that does not answer within {@value #STUN_TIMEOUT_MILLIS} ms is left out; none answering gives UNKNOWN.
 */
final class NatCheck {
  /** Where every node serves STUN (bootstrap-node's default). */
  static final int STUN_PORT = 3478;
  static final long STUN_TIMEOUT_MILLIS = 2_000;
  /** STUN servers asked per classification. */
  static final int MAX_STUN_SERVERS = 4;

  private final Clock clock;
  private volatile NatVerdict lastVerdict = new NatVerdict(NatType.UNKNOWN, List.of(), 0, 0);

  NatCheck(Clock clock) {
    this.clock = clock;
  }

  /** Our NAT's latest classification (UNKNOWN before any). */
  NatVerdict lastVerdict() {
    return lastVerdict;
  }

  /** Asks the STUN servers at the hosts of {@code relays} (as {@code ws://host:port}) for {@code ch}'s mapping. */
  CompletableFuture<NatVerdict> classify(PunchChannel ch, List<String> relays) {
    NatClassifier classifier = new NatClassifier(clock, NatSampling.chosenReporters());
    List<CompletableFuture<Void>> asked = new ArrayList<>();
    for (String relay : relays.subList(0, Math.min(MAX_STUN_SERVERS, relays.size()))) {
      InetSocketAddress server;
      try {
        server = new InetSocketAddress(InetAddress.getByName(URI.create(relay).getHost()), STUN_PORT);
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
      lastVerdict = verdict;
      return verdict;
    });
  }
}
