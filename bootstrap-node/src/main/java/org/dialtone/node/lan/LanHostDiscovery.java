package org.dialtone.node.lan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Clock;
import org.dialtone.node.lan.LanHostCounters.Counter;
import org.dialtone.node.lan.MdnsCodec.Packet;
import org.dialtone.node.lan.MdnsCodec.Ptr;
import org.dialtone.node.lan.MdnsCodec.Rr;
import org.dialtone.node.lan.MdnsCodec.Srv;
import org.dialtone.node.limit.TokenBucket;
import org.dialtone.resolver.number.DialNumber;

/**
 * Numbers' hosts on the LAN, without I/O: a host answers queries for the numbers it hosts; a dialler asks for a
 * number and collects the answers (names in {@link LanHostNames}). The adapter ({@link LanHostService}) feeds it
 * packets and sends what {@link #poll()} returns; time comes from an injected {@link Clock}; one thread drives it.
 *
 * <p>What it sends. A dialler: {@value #QUERIES_PER_LOOKUP} queries per lookup, {@value #REQUERY_MILLIS} ms apart,
 * nothing else. A host: nothing unsolicited; an answer per number and link at most once per {@value #ANSWER_GAP_MILLIS} ms
 * however many queries arrive, at most {@value #ANSWERS_PER_SECOND} answers a second in all, and only when the answer
 * is at most {@value #AMPLIFICATION} times the size of the query that asked (answers go to the multicast group, never
 * to a unicast source; the bound keeps a query from drawing more than 3 times its size from any host).
 *
 * <p>What it believes: an answer from a private source on the subnet of one of our links, for a number a lookup is
 * asking for now, whose instance name is the canonical name of a key, with an SRV record for that instance and a
 * port other than 0. The address is the packet's source address, never a record's. At most
 * {@value #HEARD_PER_LOOKUP} hosts per lookup and {@value #HEARD_PER_SOURCE} per sending address. Even then it is a
 * hint: the dialler requires the endpoint to prove the key.
 */
public final class LanHostDiscovery {
  /** The time to live of our answers (a dialler keeps nothing past its lookup). */
  static final long ANSWER_TTL_SECONDS = 120;
  /** The gap between a lookup's queries. */
  static final long REQUERY_MILLIS = 1000;
  /** Queries per lookup (a lost multicast packet is not retransmitted). */
  static final int QUERIES_PER_LOOKUP = 3;
  /** At most one answer per number and link per this. */
  static final long ANSWER_GAP_MILLIS = 1000;
  /** Answers a host sends per second, all numbers and links together. */
  static final int ANSWERS_PER_SECOND = 10;
  /** An answer is at most this many times the size of the query it answers. */
  static final int AMPLIFICATION = 3;
  /** Packets read per second (token bucket, depth twice this); the rest dropped and counted. */
  static final int INBOUND_PER_SECOND = 40;
  /** Numbers one process answers for. */
  static final int MAX_HOSTED = 64;
  /** Lookups at once. */
  static final int MAX_LOOKUPS = 8;
  static final int HEARD_PER_LOOKUP = 16;
  static final int HEARD_PER_SOURCE = 4;
  private static final int TYPE_ANY = 255;

  /** A host heard on the LAN for a number: its key and where it listens (source address, SRV port). */
  public record Heard(PublicKey key, PeerAddress address) {}

  private record Hosted(DialNumber number, PublicKey key, int port) {}

  private static final class Lookup {
    final String subtype;
    final List<Heard> heard = new ArrayList<>();
    int queriesLeft = QUERIES_PER_LOOKUP;
    long nextQueryAt;

    Lookup(String subtype, long now) {
      this.subtype = subtype;
      this.nextQueryAt = now;
    }
  }

  private final Clock clock;
  private final List<LanDiscovery.Link> links;
  private final LanHostCounters counters;
  private final MdnsIntake intake;
  private final TokenBucket answers = new TokenBucket(ANSWERS_PER_SECOND, ANSWERS_PER_SECOND);
  /** By subtype name. */
  private final Map<String, Hosted> hosted = new LinkedHashMap<>();
  private final Map<Long, Lookup> lookups = new LinkedHashMap<>();
  /** Per link and subtype: the largest query that asked since the last answer, and when that answer went. */
  private final Map<String, Integer> dueQuerySize = new LinkedHashMap<>();
  private final Map<String, Long> lastAnswerAt = new HashMap<>();
  private long nextLookupId = 1;

  public LanHostDiscovery(Clock clock, List<LanDiscovery.Link> links, LanHostCounters counters) {
    this.clock = clock;
    this.links = List.copyOf(links);
    this.counters = counters;
    this.intake = new MdnsIntake(new TokenBucket(INBOUND_PER_SECOND, 2 * INBOUND_PER_SECOND), links,
        MdnsIntake.counting(counters::inc, counters::add, Counter.PACKETS_IN, Counter.BYTES_IN,
            Counter.DROPPED_RATE_LIMITED, Counter.DROPPED_OFF_LINK, Counter.DROPPED_MALFORMED));
  }

  /** Answers for {@code number} from now on: the host's key and TCP port. False when {@link #MAX_HOSTED} are. */
  public boolean advertise(DialNumber number, PublicKey key, int port) {
    String subtype = LanHostNames.subtype(number);
    if (!hosted.containsKey(subtype) && hosted.size() >= MAX_HOSTED) {
      return false;
    }
    hosted.put(subtype, new Hosted(number, key, port));
    return true;
  }

  /** Stops answering for {@code number}. */
  public void withdraw(DialNumber number) {
    hosted.remove(LanHostNames.subtype(number));
  }

  /** Starts asking for {@code number}'s hosts; empty when {@link #MAX_LOOKUPS} are running. */
  public Optional<Long> ask(DialNumber number) {
    if (lookups.size() >= MAX_LOOKUPS) {
      return Optional.empty();
    }
    long id = nextLookupId++;
    lookups.put(id, new Lookup(LanHostNames.subtype(number), clock.monotonicMillis()));
    return Optional.of(id);
  }

  /** The hosts heard so far by lookup {@code id}. */
  public List<Heard> heard(long id) {
    Lookup l = lookups.get(id);
    return l == null ? List.of() : List.copyOf(l.heard);
  }

  /** Ends lookup {@code id}: answers for it are unsolicited from now on. */
  public void finish(long id) {
    lookups.remove(id);
  }

  /** The packets due now: lookups' queries, and answers to queries (within the bounds in the class comment). */
  public List<LanDiscovery.Outgoing> poll() {
    long now = clock.monotonicMillis();
    List<LanDiscovery.Outgoing> out = new ArrayList<>();
    for (Lookup l : lookups.values()) {
      if (l.queriesLeft > 0 && now >= l.nextQueryAt) {
        l.queriesLeft--;
        l.nextQueryAt = now + REQUERY_MILLIS;
        byte[] q = MdnsCodec.query(l.subtype);
        for (LanDiscovery.Link link : links) {
          out.add(new LanDiscovery.Outgoing(link.name(), q));
          counters.inc(Counter.QUERIES_SENT);
        }
      }
    }
    var due = dueQuerySize.entrySet().iterator();
    while (due.hasNext()) {
      var e = due.next();
      String iface = e.getKey().substring(0, e.getKey().indexOf(' '));
      String subtype = e.getKey().substring(e.getKey().indexOf(' ') + 1);
      Hosted h = hosted.get(subtype);
      if (h == null) {
        due.remove();
        continue;
      }
      if (now - lastAnswerAt.getOrDefault(e.getKey(), Long.MIN_VALUE / 2) < ANSWER_GAP_MILLIS
          || !answers.tryTake(TimeUnit.MILLISECONDS.toNanos(now))) {
        continue; // still due: sent once the gap has passed and the budget allows
      }
      due.remove();
      byte[] a = MdnsCodec.hostAnswer(subtype, LanHostNames.SERVICE_TYPE, LanHostNames.instanceLabel(h.key()),
          h.port(), ANSWER_TTL_SECONDS);
      if (a.length > AMPLIFICATION * e.getValue()) {
        counters.inc(Counter.ANSWERS_WITHHELD_SIZE);
        continue;
      }
      lastAnswerAt.put(e.getKey(), now);
      out.add(new LanDiscovery.Outgoing(iface, a));
      counters.inc(Counter.ANSWERS_SENT);
    }
    lastAnswerAt.values().removeIf(at -> now - at >= ANSWER_GAP_MILLIS); // bounded by links x hosted
    for (LanDiscovery.Outgoing o : out) {
      counters.inc(Counter.PACKETS_OUT);
      counters.add(Counter.BYTES_OUT, o.data().length);
    }
    return out;
  }

  /**
   * A packet that arrived from {@code source} on the interface {@code iface} (empty: on none of our links' subnets):
   * a query for a hosted number makes an answer due; an answer for a number being looked up is checked and kept.
   */
  public void onPacket(Optional<String> iface, PeerAddress source, byte[] data) {
    Optional<Packet> read = intake.read(clock.monotonicMillis(), iface, source, data);
    if (read.isEmpty()) {
      return;
    }
    Packet p = read.get();
    if (!p.response()) {
      for (MdnsCodec.Question q : p.questions()) {
        if (hosted.containsKey(q.name()) && (q.type() == MdnsCodec.TYPE_PTR || q.type() == TYPE_ANY)) {
          String key = iface.get() + " " + q.name();
          if (dueQuerySize.containsKey(key)) {
            counters.inc(Counter.ANSWERS_DEFERRED);
          }
          dueQuerySize.merge(key, data.length, Math::max);
        }
      }
      return;
    }
    for (Rr rr : p.records()) {
      if (rr instanceof Ptr ptr && ptr.name().endsWith("._sub." + LanHostNames.SERVICE_TYPE)) {
        onAnswer(source, ptr, p.records());
      }
    }
  }

  private void onAnswer(PeerAddress source, Ptr ptr, List<Rr> records) {
    List<Lookup> asking = lookups.values().stream().filter(l -> l.subtype.equals(ptr.name())).toList();
    if (asking.isEmpty()) {
      if (!hosted.containsKey(ptr.name())) {
        counters.inc(Counter.REFUSED_UNASKED); // our own answers, looped back, are not counted
      }
      return;
    }
    Optional<PublicKey> key = LanHostNames.keyOf(ptr.target());
    Optional<Srv> srv = records.stream().filter(r -> r instanceof Srv s && s.name().equals(ptr.target()))
        .map(Srv.class::cast).findFirst();
    if (key.isEmpty() || srv.isEmpty() || srv.get().port() < 1 || ptr.ttlSeconds() == 0) {
      counters.inc(Counter.REFUSED_BAD_ANSWER);
      return;
    }
    Heard h = new Heard(key.get(), PeerAddress.of(source.ipBytes(), srv.get().port()));
    for (Lookup l : asking) {
      if (l.heard.contains(h)) {
        continue;
      }
      long fromSource = l.heard.stream()
          .filter(x -> x.address().inetAddress().equals(source.inetAddress())).count();
      if (l.heard.size() >= HEARD_PER_LOOKUP || fromSource >= HEARD_PER_SOURCE) {
        counters.inc(Counter.REFUSED_OVER_CAP);
        continue;
      }
      l.heard.add(h);
      counters.inc(Counter.HOSTS_HEARD);
    }
  }

  public LanHostCounters counters() {
    return counters;
  }
}
