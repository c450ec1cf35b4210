package org.dialtone.agent.gossip;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.dialtone.agent.wire.Frame;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.record.StoreLimits;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;
import org.dialtone.resolver.record.ShareList;

/**
 * The numbers an agent knows, and the push-pull gossip that spreads them, with no I/O and no clock of its own (time
 * is passed in). A number is known through a signed record carried verbatim: a HOST record ("I host 53") or a SHARES
 * record ("try 47"), each with who told us and when. Only records whose original publisher's signature verifies are
 * kept, so only those are ever forwarded: an agent cannot amplify what it cannot vouch for. Numbers the agent dialled
 * itself are kept too, but only locally.
 *
 * <p>Exchange, push-pull: A sends {@link #digest()}; B answers {@link #answer(byte[])} with the records A lacks and
 * the ids B lacks; A takes the records ({@link #acceptOffer}) and returns the ones asked for; B takes those
 * ({@link #acceptRecords}). Ids are (publisher, key) pairs hashed to 64 bits, each with its sequence number.
 *
 * <p>Bounded: at most {@link #MAX_RECORDS} records (when full, the soonest to expire goes), offers fill at most one
 * frame, and records expire with their envelope. A record is learned only if it expires within the DHT's own cap
 * ({@link #MAX_TTL_SECONDS}, plus a little clock skew): a record "valid until the year 3000" is refused, so nobody
 * fills the table for good. No teller may fill more than {@link #MAX_PER_TELLER} of it, and no publisher more than
 * {@link #MAX_PER_PUBLISHER} (attack 11 of {@code docs/threats.md}). Not thread-safe: confine to one thread.
 */
public final class KnownNumbers {
  /** The most records kept (the digest then fits one frame: 2 + 16 bytes each). */
  public static final int MAX_RECORDS = 2048;
  /** The most dialled numbers kept. */
  public static final int MAX_DIALLED = 256;
  /** The furthest a learned record's expiry may lie ahead: the DHT's cap on stored records. */
  public static final long MAX_TTL_SECONDS = StoreLimits.DEFAULT_MAX_TTL_SECONDS;
  /** Clock skew tolerated on that cap. */
  public static final long SKEW_SECONDS = 60;
  /** Records one teller (another agent) may have told us that we keep: a quarter of the table. */
  public static final int MAX_PER_TELLER = MAX_RECORDS / 4;
  /** Records of one publisher kept: one per number it hosts or shares under, a generous few. */
  public static final int MAX_PER_PUBLISHER = 64;

  /** One known record: what, who told us, when. */
  public record Entry(SignedRecord record, List<DialNumber> numbers, PublicKey toldBy, long learnedAtMillis) {}

  /** Where a number was learned: the publisher vouching for it, who passed it on, and when. */
  public record Source(DialNumber number, PublicKey publisher, PublicKey toldBy, long learnedAtMillis) {}

  private final PublicKey self;
  private final Map<Long, Entry> records = new HashMap<>();
  private final Map<PublicKey, Integer> perTeller = new HashMap<>();
  private final Map<PublicKey, Integer> perPublisher = new HashMap<>();
  private final LinkedHashMap<DialNumber, Long> dialled = new LinkedHashMap<>();

  /** An empty table for the agent {@code self}. */
  public KnownNumbers(PublicKey self) {
    this.self = self;
  }

  /**
   * Learns a record told by {@code toldBy} (the agent itself for its own records and dialling).
   */
  public LearnOutcome learn(SignedRecord record, PublicKey toldBy, long nowMillis) {
    if (record.isExpired(nowMillis)) {
      return LearnOutcome.EXPIRED;
    }
    if (record.expiresAtSeconds() - nowMillis / 1000 > MAX_TTL_SECONDS + SKEW_SECONDS) {
      return LearnOutcome.EXPIRY_TOO_FAR;
    }
    long id = id(record);
    Entry old = records.get(id);
    if (old != null && old.record().seq() >= record.seq()) {
      return LearnOutcome.DUPLICATE;
    }
    if (!record.hasValidSignature()) {
      return LearnOutcome.BAD_SIGNATURE;
    }
    Optional<List<DialNumber>> numbers = numbersIn(record);
    if (numbers.isEmpty()) {
      return LearnOutcome.WRONG_KIND;
    }
    if (old == null && !toldBy.equals(self) && (perTeller.getOrDefault(toldBy, 0) >= MAX_PER_TELLER
        || perPublisher.getOrDefault(record.publisher(), 0) >= MAX_PER_PUBLISHER)) {
      return LearnOutcome.QUOTA;
    }
    if (old == null && records.size() >= MAX_RECORDS && !evictFor(record)) {
      return LearnOutcome.FULL;
    }
    put(id, new Entry(record, numbers.get(), toldBy, nowMillis));
    return old == null ? LearnOutcome.NEW : LearnOutcome.UPDATED;
  }

  /** Notes a number the agent dialled itself; kept locally, not gossiped (nobody signed it for us). */
  public void noteDialled(DialNumber number, long nowMillis) {
    dialled.remove(number);
    dialled.put(number, nowMillis);
    if (dialled.size() > MAX_DIALLED) {
      dialled.remove(dialled.keySet().iterator().next());
    }
  }

  /** Drops expired records. */
  public void expire(long nowMillis) {
    for (Long id : List.copyOf(records.keySet())) {
      if (records.get(id).record().isExpired(nowMillis)) {
        remove(id);
      }
    }
  }

  /** Records kept that {@code teller} told us. */
  public int toldBy(PublicKey teller) {
    return perTeller.getOrDefault(teller, 0);
  }

  // Every change to the table goes through put and remove, which keep the quotas' counts.
  private void put(long id, Entry e) {
    Entry old = records.put(id, e);
    if (old != null) {
      uncount(old);
    }
    perTeller.merge(e.toldBy(), 1, Integer::sum);
    perPublisher.merge(e.record().publisher(), 1, Integer::sum);
  }

  private void remove(long id) {
    Entry old = records.remove(id);
    if (old != null) {
      uncount(old);
    }
  }

  private void uncount(Entry e) {
    perTeller.computeIfPresent(e.toldBy(), (k, v) -> v == 1 ? null : v - 1);
    perPublisher.computeIfPresent(e.record().publisher(), (k, v) -> v == 1 ? null : v - 1);
  }

  /** Every number known, in order. */
  public Set<DialNumber> numbers() {
    Set<DialNumber> out = new TreeSet<>(dialled.keySet());
    records.values().forEach(e -> out.addAll(e.numbers()));
    return out;
  }

  /** Where each number was learned (dialled numbers have this agent as publisher and teller). */
  public Map<DialNumber, List<Source>> sources() {
    Map<DialNumber, List<Source>> out = new TreeMap<>();
    dialled.forEach((n, at) -> out.computeIfAbsent(n, k -> new ArrayList<>()).add(new Source(n, self, self, at)));
    for (Entry e : records.values()) {
      for (DialNumber n : e.numbers()) {
        out.computeIfAbsent(n, k -> new ArrayList<>())
            .add(new Source(n, e.record().publisher(), e.toldBy(), e.learnedAtMillis()));
      }
    }
    return out;
  }

  /** The records kept. */
  public List<Entry> entries() {
    return List.copyOf(records.values());
  }

  /** How many records are kept. */
  public int size() {
    return records.size();
  }

  // ---- push-pull ----

  /** The digest: u16 count, then (id u64, seq u64) per record. */
  public byte[] digest() {
    ByteBuffer b = ByteBuffer.allocate(2 + 16 * records.size()).putShort((short) records.size());
    records.forEach((id, e) -> b.putLong(id).putLong(e.record().seq()));
    return b.array();
  }

  /**
   * The answer to a peer's digest: the records it lacks or holds older (as many as fit a frame), then the ids this
   * side lacks or holds older. Wire: u16 n, n x (u16 len, record), u16 m, m x id u64.
   *
   * @throws IllegalArgumentException when the digest is malformed
   */
  public byte[] answer(byte[] digestBytes) {
    Map<Long, Long> theirs = parseDigest(digestBytes);
    List<byte[]> give = new ArrayList<>();
    List<Long> want = new ArrayList<>();
    theirs.forEach((id, seq) -> {
      Entry mine = records.get(id);
      if (mine == null || mine.record().seq() < seq) {
        want.add(id);
      }
    });
    int room = Frame.MAX_BODY - 4 - 8 * want.size();
    for (Map.Entry<Long, Entry> e : records.entrySet()) {
      Long seq = theirs.get(e.getKey());
      if (seq == null || seq < e.getValue().record().seq()) {
        byte[] r = RecordWire.encode(e.getValue().record());
        if (r.length + 2 > room) {
          break; // the rest goes next round
        }
        room -= r.length + 2;
        give.add(r);
      }
    }
    ByteBuffer b = ByteBuffer.allocate(Frame.MAX_BODY);
    putRecords(b, give);
    b.putShort((short) want.size());
    want.forEach(b::putLong);
    return trim(b);
  }

  /**
   * Takes an answer from {@code from}: learns the records, and returns the records it asked for (wire: u16 n, n x
   * (u16 len, record)).
   *
   * @throws IllegalArgumentException when the answer is malformed
   */
  public byte[] acceptOffer(byte[] offer, PublicKey from, long nowMillis) {
    ByteBuffer in = ByteBuffer.wrap(offer);
    learnAll(in, from, nowMillis);
    int m = unsignedShort(in);
    if (in.remaining() != 8 * m || m > MAX_RECORDS) {
      throw new IllegalArgumentException("malformed wanted list");
    }
    List<byte[]> give = new ArrayList<>();
    int room = Frame.MAX_BODY - 2;
    for (int i = 0; i < m; i++) {
      Entry e = records.get(in.getLong());
      if (e != null) {
        byte[] r = RecordWire.encode(e.record());
        if (r.length + 2 > room) {
          break;
        }
        room -= r.length + 2;
        give.add(r);
      }
    }
    ByteBuffer b = ByteBuffer.allocate(Frame.MAX_BODY);
    putRecords(b, give);
    return trim(b);
  }

  /** Takes the records sent in the last step; returns how many were new or newer. */
  public int acceptRecords(byte[] body, PublicKey from, long nowMillis) {
    ByteBuffer in = ByteBuffer.wrap(body);
    int n = learnAll(in, from, nowMillis);
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("trailing bytes after records");
    }
    return n;
  }

  // ---- internals ----

  private int learnAll(ByteBuffer in, PublicKey from, long nowMillis) {
    int n = unsignedShort(in);
    int learned = 0;
    for (int i = 0; i < n; i++) {
      int len = unsignedShort(in);
      if (len > RecordWire.MAX_BYTES || len > in.remaining()) {
        throw new IllegalArgumentException("record of " + len + " bytes");
      }
      ByteBuffer one = in.slice(in.position(), len);
      in.position(in.position() + len);
      LearnOutcome o = learn(RecordWire.decode(one), from, nowMillis);
      if (o == LearnOutcome.NEW || o == LearnOutcome.UPDATED) {
        learned++;
      }
    }
    return learned;
  }

  private static Map<Long, Long> parseDigest(byte[] digest) {
    ByteBuffer in = ByteBuffer.wrap(digest);
    int n = unsignedShort(in);
    if (n > MAX_RECORDS || in.remaining() != 16 * n) {
      throw new IllegalArgumentException("malformed digest");
    }
    Map<Long, Long> out = new HashMap<>();
    for (int i = 0; i < n; i++) {
      out.put(in.getLong(), in.getLong());
    }
    return out;
  }

  private static void putRecords(ByteBuffer b, List<byte[]> rs) {
    b.putShort((short) rs.size());
    for (byte[] r : rs) {
      b.putShort((short) r.length).put(r);
    }
  }

  private static byte[] trim(ByteBuffer b) {
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  private static int unsignedShort(ByteBuffer in) {
    if (in.remaining() < 2) {
      throw new IllegalArgumentException("truncated");
    }
    return in.getShort() & 0xffff;
  }

  private boolean evictFor(SignedRecord incoming) {
    Optional<Map.Entry<Long, Entry>> soonest = records.entrySet().stream()
        .min(Comparator.comparingLong(e -> e.getValue().record().expiresAtSeconds()));
    if (soonest.isPresent() && soonest.get().getValue().record().expiresAtSeconds() < incoming.expiresAtSeconds()) {
      remove(soonest.get().getKey());
      return true;
    }
    return false;
  }

  private static Optional<List<DialNumber>> numbersIn(SignedRecord r) {
    if (r.kind() == RecordKind.HOST.code()) {
      Optional<AgentInfo> info = RecordCodec.decodeAgent(r);
      return info.filter(a -> a.role() == Role.HOST && r.key().equals(a.number().key()))
          .map(a -> List.of(a.number()));
    }
    if (r.kind() == RecordKind.SHARES.code()) {
      Optional<ShareList> shares = RecordCodec.decodeShares(r);
      return shares.filter(s -> !s.shares().isEmpty())
          .map(s -> s.shares().stream().map(x -> x.number()).distinct().toList());
    }
    return Optional.empty();
  }

  /** A record's gossip id: the first 8 bytes of SHA-256(publisher, key). */
  static long id(SignedRecord r) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(r.publisher().toBytes());
      d.update(r.key().toBytes());
      return ByteBuffer.wrap(d.digest()).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
