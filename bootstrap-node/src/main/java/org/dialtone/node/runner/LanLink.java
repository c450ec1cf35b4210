package org.dialtone.node.runner;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.routing.Contact;
import org.dialtone.node.lan.LanDiscovery.Advertised;
import org.dialtone.node.lan.LanLimits;
import org.dialtone.node.lan.LanPeer;
import org.dialtone.node.lan.LanService;
import org.dialtone.node.log.StructuredLog;

/**
 * Joins LAN discovery to a node: the node is advertised, and what discovery finds is offered to the DHT's
 * bootstrap, which pings each address with a challenge and admits only those that prove their key. A peer counts as
 * verified when the routing table then holds its advertised id at its advertised address.
 */
final class LanLink {
  private static final StructuredLog LOG = StructuredLog.of("lan");

  private LanLink() {}

  static Optional<LanService> start(NodeSettings settings, DhtNode node) throws IOException {
    AtomicReference<LanService> self = new AtomicReference<>();
    Optional<LanService> lan;
    try {
      lan = LanService.start(settings.firstHost(), Optional.of(new Advertised(node.id(), node.address().port())),
          peers -> verify(settings, node, Optional.ofNullable(self.get()), peers), LanLimits.defaults());
    } catch (IOException e) {
      // a link that refuses the mDNS group (IPv6 off on it, say): the node runs, without LAN discovery
      LOG.warn("lan.off", "why", "mDNS socket on the links of " + settings.firstHost() + ": " + e.getMessage());
      return Optional.empty();
    }
    lan.ifPresent(self::set);
    if (lan.isPresent()) {
      LOG.info("lan.started", "links", String.join(",", lan.get().linkNames()), "service", "_dialtone._udp.local");
    } else {
      LOG.info("lan.off", "why", "no private multicast link for --host " + settings.firstHost());
    }
    return lan;
  }

  private static CompletableFuture<Map<LanPeer, Boolean>> verify(NodeSettings settings, DhtNode node,
      Optional<LanService> lan, List<LanPeer> peers) {
    // bootstrap() replaces the seeds the node falls back on when it loses every contact: keep the configured ones
    // and the LAN peers already verified in them
    Set<PeerAddress> seeds = new LinkedHashSet<>(settings.bootstrap());
    lan.ifPresent(l -> l.verifiedPeers().forEach(p -> seeds.add(p.address())));
    peers.forEach(p -> seeds.add(p.address()));
    LOG.info("lan.peers_found", "count", peers.size(), "peers",
        String.join(",", peers.stream().map(p -> p.address().toString()).toList()));
    return node.bootstrap(List.copyOf(seeds)).handle((v, e) -> null)
        .thenCompose(x -> node.contacts())
        .thenApply(contacts -> {
          Map<LanPeer, Boolean> out = new HashMap<>();
          for (LanPeer p : peers) {
            out.put(p, holds(contacts, p));
          }
          long verified = out.values().stream().filter(b -> b).count();
          LOG.info("lan.joined", "verified", verified + "/" + peers.size(), "contacts", contacts.size());
          return out;
        });
  }

  static boolean holds(List<Contact> contacts, LanPeer p) {
    return contacts.stream().anyMatch(c -> c.id().equals(p.id()) && c.address().equals(p.address()));
  }
}
