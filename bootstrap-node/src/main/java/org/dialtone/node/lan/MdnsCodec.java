package org.dialtone.node.lan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The few DNS messages (RFC 1035 format, as mDNS uses it, RFC 6762) that LAN discovery sends and reads: a PTR
 * question for the service type, and a response of PTR, SRV, TXT and A records. Encoding writes names without
 * compression (our packets stay under 300 bytes); decoding reads any well-formed message, compression included,
 * strictly: sizes are checked before every read, a compression pointer must point backwards (so no loop), a name is
 * at most 255 bytes, and at most {@link #MAX_RECORDS} records are read. Anything else is a {@link MdnsFormatException}.
 */
public final class MdnsCodec {
  /** The largest packet read; mDNS allows 9000 bytes, our peers send a few hundred. */
  public static final int MAX_PACKET = 1500;
  /** Questions plus records in one packet; more is refused as a flood in one datagram. */
  public static final int MAX_RECORDS = 64;
  static final int TYPE_A = 1;
  static final int TYPE_PTR = 12;
  static final int TYPE_TXT = 16;
  static final int TYPE_AAAA = 28;
  static final int TYPE_SRV = 33;
  static final int CLASS_IN = 1;
  /** The cache-flush bit (RFC 6762, section 10.2) on unique records; the top bit of the class. */
  static final int CACHE_FLUSH = 0x8000;

  private MdnsCodec() {}

  /** A decoded message: a query (questions) or a response (records). */
  public record Packet(boolean response, List<Question> questions, List<Rr> records) {
    public Packet {
      questions = List.copyOf(questions);
      records = List.copyOf(records);
    }
  }

  /** A question: a name (lower case, dot-separated, no trailing dot) and a type. */
  public record Question(String name, int type) {}

  /** A resource record we understand, or one we skip. Names are lower case, without the trailing dot. */
  public sealed interface Rr permits Ptr, Srv, Txt, Address, Other {
    String name();

    long ttlSeconds();
  }

  /** A PTR record: {@code name} points at {@code target}. */
  public record Ptr(String name, long ttlSeconds, String target) implements Rr {}

  /** An SRV record: the service instance {@code name} is at {@code target}, {@code port}. */
  public record Srv(String name, long ttlSeconds, int port, String target) implements Rr {}

  /** A TXT record's strings (RFC 6763 key=value pairs, each at most 255 bytes). */
  public record Txt(String name, long ttlSeconds, List<String> strings) implements Rr {
    public Txt {
      strings = List.copyOf(strings);
    }
  }

  /** An A or AAAA record (4 or 16 bytes). */
  public record Address(String name, long ttlSeconds, byte[] ip) implements Rr {}

  /** A record of a type we do not use. */
  public record Other(String name, long ttlSeconds, int type) implements Rr {}

  /** A query with one PTR question for {@code serviceType} (e.g. {@code _dialtone._udp.local}). */
  public static byte[] query(String serviceType) {
    MdnsWriter w = new MdnsWriter();
    w.header(0, 1, 0, 0);
    w.name(serviceType);
    w.u16(TYPE_PTR);
    w.u16(CLASS_IN);
    return w.bytes();
  }

  /**
   * A response advertising one service instance: PTR {@code serviceType} to {@code instance}.{@code serviceType} as
   * the answer; SRV (port, host), TXT ({@code txt}) and the host's A record ({@code ipv4}; 16 bytes: AAAA) as additional records
   * (RFC 6763, section 12). A {@code ttlSeconds} of 0 is a goodbye (RFC 6762, section 10.1).
   */
  public static byte[] response(String serviceType, String instance, String host, int port, List<String> txt,
      byte[] ipv4, long ttlSeconds) {
    if (ipv4.length != 4 && ipv4.length != 16) {
      throw new IllegalArgumentException("an A record holds 4 bytes, an AAAA record 16");
    }
    String fullInstance = instance + "." + serviceType;
    MdnsWriter w = new MdnsWriter();
    w.header(0x8400, 0, 1, 3); // QR and AA: an authoritative response
    w.name(serviceType);
    w.recordHeader(TYPE_PTR, CLASS_IN, ttlSeconds);
    w.withLength(() -> w.name(fullInstance));
    w.name(fullInstance);
    w.recordHeader(TYPE_SRV, CLASS_IN | CACHE_FLUSH, ttlSeconds);
    w.withLength(() -> {
      w.u16(0);
      w.u16(0);
      w.u16(port);
      w.name(host);
    });
    w.name(fullInstance);
    w.recordHeader(TYPE_TXT, CLASS_IN | CACHE_FLUSH, ttlSeconds);
    w.withLength(() -> {
      for (String s : txt) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 255) {
          throw new IllegalArgumentException("a TXT string is at most 255 bytes");
        }
        w.u8(b.length);
        w.raw(b);
      }
    });
    w.name(host);
    w.recordHeader(ipv4.length == 4 ? TYPE_A : TYPE_AAAA, CLASS_IN | CACHE_FLUSH, ttlSeconds);
    w.withLength(() -> w.raw(ipv4));
    return w.bytes();
  }

  /**
   * A compressed answer for a number's host (RFC 6763, section 7.1, subtypes): PTR {@code subtype} to
   * {@code instanceLabel}.{@code serviceType}, with the instance's SRV ({@code port}, its own name as target: the
   * dialler uses the packet's source address) and TXT ({@code txtvers=1}) as additional records. Names after the
   * first are compression pointers, so the answer is about 190 bytes: within 3 times the ~83-byte query it answers.
   * {@code subtype} must end with {@code serviceType}.
   */
  public static byte[] hostAnswer(String subtype, String serviceType, String instanceLabel, int port,
      long ttlSeconds) {
    if (!subtype.endsWith("." + serviceType)) {
      throw new IllegalArgumentException(subtype + " is not a subtype of " + serviceType);
    }
    MdnsWriter w = new MdnsWriter();
    w.header(0x8400, 0, 1, 2);
    int serviceAt = 12 + nameLength(subtype.substring(0, subtype.length() - serviceType.length() - 1)) - 1;
    w.name(subtype);
    w.recordHeader(TYPE_PTR, CLASS_IN, ttlSeconds);
    int[] instanceAt = new int[1];
    w.withLength(() -> {
      instanceAt[0] = w.size();
      w.label(instanceLabel);
      w.pointer(serviceAt);
    });
    w.pointer(instanceAt[0]);
    w.recordHeader(TYPE_SRV, CLASS_IN | CACHE_FLUSH, ttlSeconds);
    w.withLength(() -> {
      w.u16(0);
      w.u16(0);
      w.u16(port);
      w.pointer(instanceAt[0]);
    });
    w.pointer(instanceAt[0]);
    w.recordHeader(TYPE_TXT, CLASS_IN | CACHE_FLUSH, ttlSeconds);
    w.withLength(() -> {
      w.u8(9);
      w.raw("txtvers=1".getBytes(StandardCharsets.UTF_8));
    });
    return w.bytes();
  }

  /** The bytes of {@code name}'s labels written out, with the final zero byte. */
  private static int nameLength(String name) {
    int n = 1;
    for (String label : name.split("\\.")) {
      n += 1 + label.getBytes(StandardCharsets.UTF_8).length;
    }
    return n;
  }

  /** Decodes {@code data} strictly; see the class comment. */
  public static Packet decode(byte[] data) throws MdnsFormatException {
    if (data.length > MAX_PACKET) {
      throw new MdnsFormatException("packet of " + data.length + " bytes exceeds " + MAX_PACKET);
    }
    MdnsReader r = new MdnsReader(data);
    r.u16(); // id: 0 in mDNS, not checked (RFC 6762, section 18.1)
    int flags = r.u16();
    int qd = r.u16();
    int an = r.u16();
    int ns = r.u16();
    int ar = r.u16();
    if ((flags & 0x7800) != 0) {
      throw new MdnsFormatException("opcode " + ((flags >> 11) & 0xf) + " is not a standard query");
    }
    if (qd + an + ns + ar > MAX_RECORDS) {
      throw new MdnsFormatException((qd + an + ns + ar) + " entries exceed " + MAX_RECORDS);
    }
    List<Question> questions = new ArrayList<>();
    for (int i = 0; i < qd; i++) {
      String name = r.name();
      int type = r.u16();
      r.u16(); // class, with the unicast-response bit: we always answer by multicast
      questions.add(new Question(name, type));
    }
    List<Rr> records = new ArrayList<>();
    for (int i = 0; i < an + ns + ar; i++) {
      records.add(record(r));
    }
    if (r.pos != data.length) {
      throw new MdnsFormatException((data.length - r.pos) + " bytes after the last record");
    }
    return new Packet((flags & 0x8000) != 0, questions, records);
  }

  private static Rr record(MdnsReader r) throws MdnsFormatException {
    String name = r.name();
    int type = r.u16();
    r.u16(); // class
    long ttl = r.u32();
    int length = r.u16();
    int end = r.pos + length;
    if (end > r.data.length) {
      throw new MdnsFormatException("record data runs past the end of the packet");
    }
    Rr rr = switch (type) {
      case TYPE_PTR -> new Ptr(name, ttl, r.name());
      case TYPE_SRV -> {
        r.u16(); // priority
        r.u16(); // weight
        int port = r.u16();
        yield new Srv(name, ttl, port, r.name());
      }
      case TYPE_TXT -> {
        List<String> strings = new ArrayList<>();
        while (r.pos < end) {
          int n = r.u8();
          strings.add(new String(r.raw(n), StandardCharsets.UTF_8));
        }
        yield new Txt(name, ttl, strings);
      }
      case TYPE_A, TYPE_AAAA -> {
        int want = type == TYPE_A ? 4 : 16;
        if (length != want) {
          throw new MdnsFormatException("address record of " + length + " bytes");
        }
        yield new Address(name, ttl, r.raw(want));
      }
      default -> {
        r.raw(length);
        yield new Other(name, ttl, type);
      }
    };
    if (r.pos != end) {
      throw new MdnsFormatException("record of type " + type + " does not fill its stated length");
    }
    return rr;
  }
}
