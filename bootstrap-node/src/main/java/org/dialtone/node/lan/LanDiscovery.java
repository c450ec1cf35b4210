package org.dialtone.node.lan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Clock;
import org.dialtone.node.lan.LanCounters.Counter;
import org.dialtone.node.lan.MdnsCodec.Packet;
import org.dialtone.node.lan.MdnsCodec.Ptr;
import org.dialtone.node.lan.MdnsCodec.Rr;
import org.dialtone.node.lan.MdnsCodec.Srv;
import org.dialtone.node.lan.MdnsCodec.Txt;
import org.dialtone.node.limit.TokenBucket;

/**
 * LAN discovery's protocol, without I/O: what to send and when, what to make of what arrives, whom to offer to the
 * DHT. The adapter ({@link MdnsSocket}) feeds it packets and sends what {@link #poll()} returns; time comes from an
 * injected {@link Clock}; one thread drives it (it takes no locks).
 *
 * <p>What it sends: a query for {@value #SERVICE_TYPE} at start, then after 1, 2, 4... seconds, at most one a minute
 * once settled; and, when it advertises a node, {@link LanLimits#announcements()} announcements at start and a
 * response to queries for the service, at most one per interface per second however many queries arrive.
 *
 * <p>What it believes: an advert (PTR, SRV and TXT of one instance, in one packet) from a private source address on
 * one of our links, whose TXT holds exactly one well-formed node id that the instance name repeats, and whose port is
 * not 0. Even then a peer is only a candidate: the DHT pings it with a challenge, and {@link #verified} or
 * {@link #unverified} tells this table what came of it. The address is the packet's source address, never the A
 * record: an advert cannot point us at a third host. Every refusal is counted in {@link LanCounters}.
 */
public final class LanDiscovery {
  /** The DNS-SD service type nodes advertise (RFC 6763). */
  public static final String SERVICE_TYPE = "_dialtone._udp.local";
  private static final String INSTANCE_PREFIX = "dialtone-";
  private static final Pattern ID_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final int TYPE_ANY = 255;

  /** One of our links: an interface name and our address on it (4 bytes: an A record; 16: AAAA). */
  public record Link(String name, byte[] ipv4) {
    public Link {
      Objects.requireNonNull(name, "name");
      ipv4 = ipv4.clone();
      if (ipv4.length != 4 && ipv4.length != 16) {
        throw new IllegalArgumentException("a link's address is IPv4 (4 bytes) or IPv6 (16)");
      }
    }
  }

  /** The node this discovery advertises: its id and UDP port. */
  public record Advertised(NodeId id, int port) {
    public Advertised {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("an advertised port is 1..65535, got " + port);
      }
    }
  }

  /** A packet to multicast on the interface {@code iface}. */
  public record Outgoing(String iface, byte[] data) {}

  private enum State { NEW, TRYING, VERIFIED, UNVERIFIED }

  private static final class Entry {
    final LanPeer peer;
    State state = State.NEW;
    long expiresAt;
    long retryAt;

    Entry(LanPeer peer, long expiresAt) {
      this.peer = peer;
      this.expiresAt = expiresAt;
    }
  }

  private final Clock clock;
  private final LanLimits limits;
  private final List<Link> links;
  private final Optional<Advertised> self;
  private final LanCounters counters;
  private final Map<NodeId, Entry> table = new LinkedHashMap<>();
  private final Map<String, Long> lastResponseAt = new HashMap<>();
  private final Map<String, Boolean> responseDue = new HashMap<>();
  private long nextQueryAt;
  private long queryInterval;
  private int announcementsLeft;
  private long nextAnnounceAt;
  private final MdnsIntake intake;

  /**
   * @param links the interfaces to speak on
   * @param self the node to advertise, or empty to only look (an agent command)
   */
  public LanDiscovery(Clock clock, LanLimits limits, List<Link> links, Optional<Advertised> self,
      LanCounters counters) {
    this.clock = clock;
    this.limits = limits;
    this.links = List.copyOf(links);
    this.self = self;
    this.counters = counters;
    long now = clock.monotonicMillis();
    this.nextQueryAt = now;
    this.queryInterval = limits.firstQueryInterval().toMillis();
    this.announcementsLeft = self.isPresent() ? limits.announcements() : 0;
    this.nextAnnounceAt = now;
    this.intake = new MdnsIntake(new TokenBucket(limits.inboundPerSecond(), limits.inboundBurst()), links,
        MdnsIntake.counting(counters::inc, counters::add, Counter.PACKETS_IN, Counter.BYTES_IN,
            Counter.DROPPED_RATE_LIMITED, Counter.DROPPED_OFF_LINK, Counter.DROPPED_MALFORMED));
  }

  /** The packets due now: queries, the start's announcements, responses to queries (within the limits). */
  public List<Outgoing> poll() {
    long now = clock.monotonicMillis();
    expire(now);
    List<Outgoing> out = new ArrayList<>();
    if (now >= nextQueryAt) {
      byte[] q = MdnsCodec.query(SERVICE_TYPE);
      for (Link l : links) {
        out.add(new Outgoing(l.name(), q));
        counters.inc(Counter.QUERIES_SENT);
      }
      nextQueryAt = now + queryInterval;
      queryInterval = Math.min(queryInterval * 2, limits.maxQueryInterval().toMillis());
    }
    if (self.isPresent()) {
      boolean announceAll = announcementsLeft > 0 && now >= nextAnnounceAt;
      if (announceAll) {
        announcementsLeft--;
        nextAnnounceAt = now + limits.announceGap().toMillis();
      }
      for (Link l : links) {
        boolean due = announceAll || responseDue.getOrDefault(l.name(), false);
        long last = lastResponseAt.getOrDefault(l.name(), Long.MIN_VALUE / 2);
        if (due && now - last >= limits.minResponseGap().toMillis()) {
          out.add(new Outgoing(l.name(), advert(l, limits.recordTtl().toSeconds())));
          counters.inc(Counter.ANNOUNCEMENTS_SENT);
          lastResponseAt.put(l.name(), now);
          responseDue.put(l.name(), false);
        } else if (due) {
          responseDue.put(l.name(), true); // sent once the gap has passed
        }
      }
    }
    for (Outgoing o : out) {
      counters.inc(Counter.PACKETS_OUT);
      counters.add(Counter.BYTES_OUT, o.data().length);
    }
    return out;
  }

  /** The goodbyes to send when stopping (a time to live of 0, RFC 6762, section 10.1); empty if not advertising. */
  public List<Outgoing> goodbye() {
    List<Outgoing> out = new ArrayList<>();
    if (self.isPresent()) {
      for (Link l : links) {
        out.add(new Outgoing(l.name(), advert(l, 0)));
        counters.inc(Counter.PACKETS_OUT);
        counters.add(Counter.BYTES_OUT, out.get(out.size() - 1).data().length);
      }
    }
    return out;
  }

  private byte[] advert(Link l, long ttl) {
    Advertised a = self.orElseThrow();
    String hex = a.id().toHex();
    String instance = INSTANCE_PREFIX + hex.substring(0, 16);
    return MdnsCodec.response(SERVICE_TYPE, instance, instance + ".local", a.port(),
        List.of("txtvers=1", "id=" + hex), l.ipv4(), ttl);
  }

  /**
   * A packet that arrived from {@code source} on the interface {@code iface} (empty: on none of our links' subnets).
   * Queries for our service make a response due; adverts are checked and remembered as candidates; everything else
   * is dropped and counted.
   */
  public void onPacket(Optional<String> iface, PeerAddress source, byte[] data) {
    long now = clock.monotonicMillis();
    Optional<Packet> read = intake.read(now, iface, source, data);
    if (read.isEmpty()) {
      return;
    }
    Packet p = read.get();
    expire(now);
    if (!p.response()) {
      boolean asksUs = p.questions().stream().anyMatch(q -> q.name().equals(SERVICE_TYPE)
          && (q.type() == MdnsCodec.TYPE_PTR || q.type() == TYPE_ANY));
      if (asksUs && self.isPresent()) {
        responseDue.put(iface.get(), true);
      }
      return;
    }
    for (Rr rr : p.records()) {
      if (rr instanceof Ptr ptr && ptr.name().equals(SERVICE_TYPE)) {
        onAdvert(iface.get(), source, ptr, p.records(), now);
      }
    }
  }

  private void onAdvert(String iface, PeerAddress source, Ptr ptr, List<Rr> records, long now) {
    String instance = ptr.target();
    Optional<Srv> srv = records.stream().filter(r -> r instanceof Srv s && s.name().equals(instance))
        .map(Srv.class::cast).findFirst();
    Optional<Txt> txt = records.stream().filter(r -> r instanceof Txt t && t.name().equals(instance))
        .map(Txt.class::cast).findFirst();
    if (srv.isEmpty() || txt.isEmpty()) {
      counters.inc(Counter.REFUSED_INCOMPLETE);
      return;
    }
    Optional<NodeId> id = idOf(instance, txt.get());
    if (id.isEmpty()) {
      counters.inc(Counter.REFUSED_BAD_ID);
      return;
    }
    if (self.isPresent() && self.get().id().equals(id.get())) {
      return; // our own advert, looped back
    }
    int port = srv.get().port();
    if (port < 1 || port > 65535) {
      counters.inc(Counter.REFUSED_BAD_PORT);
      return;
    }
    PeerAddress address = PeerAddress.of(source.ipBytes(), port);
    long ttl = Math.min(Math.min(ptr.ttlSeconds(), srv.get().ttlSeconds()), limits.maxRememberedTtl().toSeconds());
    Entry known = table.get(id.get());
    if (ttl == 0) { // a goodbye: forget the peer, but only if it is the one that said it
      if (known != null && known.peer.address().equals(address)) {
        table.remove(id.get());
      }
      return;
    }
    long expiresAt = now + ttl * 1000;
    if (known != null) {
      if (known.peer.address().equals(address)) {
        known.expiresAt = Math.max(known.expiresAt, expiresAt);
        return;
      }
      if (known.state != State.UNVERIFIED) {
        counters.inc(Counter.REFUSED_CONFLICT);
        return;
      }
      table.remove(id.get()); // a failed claim gives way to a new one
    }
    long onIface = table.values().stream().filter(e -> e.peer.iface().equals(iface)).count();
    long fromSource = table.values().stream()
        .filter(e -> e.peer.address().inetAddress().equals(source.inetAddress())).count();
    if (onIface >= limits.peersPerInterface() || fromSource >= limits.peersPerSource()) {
      counters.inc(Counter.REFUSED_OVER_CAP);
      return;
    }
    table.put(id.get(), new Entry(new LanPeer(id.get(), address, iface), expiresAt));
    counters.inc(Counter.PEERS_LEARNED);
  }

  /** The node id of an advert: exactly one {@code id=} of 64 lower-case hex digits, repeated by the instance name. */
  private static Optional<NodeId> idOf(String instance, Txt txt) {
    List<String> ids = txt.strings().stream().filter(s -> s.startsWith("id=")).map(s -> s.substring(3)).toList();
    if (ids.size() != 1 || !ID_HEX.matcher(ids.get(0)).matches()) {
      return Optional.empty();
    }
    String hex = ids.get(0);
    if (!instance.equals(INSTANCE_PREFIX + hex.substring(0, 16) + "." + SERVICE_TYPE)) {
      return Optional.empty();
    }
    return Optional.of(NodeId.ofHex(hex));
  }

  private void expire(long now) {
    table.values().removeIf(e -> e.expiresAt <= now);
  }

  /**
   * The peers to verify now: those new, and those whose verification failed long enough ago. They are marked as
   * being tried until {@link #verified} or {@link #unverified} is called for them.
   */
  public List<LanPeer> takeCandidates() {
    long now = clock.monotonicMillis();
    expire(now);
    List<LanPeer> out = new ArrayList<>();
    for (Entry e : table.values()) {
      if (e.state == State.NEW || e.state == State.UNVERIFIED && now >= e.retryAt) {
        e.state = State.TRYING;
        out.add(e.peer);
      }
    }
    return out;
  }

  /** {@code peer}'s address answered a challenge with the key of the id it advertised: it is trusted. */
  public void verified(LanPeer peer) {
    Entry e = table.get(peer.id());
    if (e != null && e.peer.equals(peer) && e.state != State.VERIFIED) {
      e.state = State.VERIFIED;
      counters.inc(Counter.PEERS_VERIFIED);
    }
  }

  /** {@code peer}'s address did not answer, or answered with another key: left alone for a while. */
  public void unverified(LanPeer peer) {
    Entry e = table.get(peer.id());
    if (e != null && e.peer.equals(peer)) {
      e.state = State.UNVERIFIED;
      e.retryAt = clock.monotonicMillis() + limits.retryUnverifiedAfter().toMillis();
      counters.inc(Counter.PEERS_UNVERIFIED);
    }
  }

  /** Every peer remembered now, trusted or not. */
  public List<LanPeer> peers() {
    expire(clock.monotonicMillis());
    return table.values().stream().map(e -> e.peer).toList();
  }

  /** The peers that proved their key. */
  public List<LanPeer> verifiedPeers() {
    expire(clock.monotonicMillis());
    return table.values().stream().filter(e -> e.state == State.VERIFIED).map(e -> e.peer).toList();
  }

  public LanCounters counters() {
    return counters;
  }
}
