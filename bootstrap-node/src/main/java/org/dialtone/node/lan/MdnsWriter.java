package org.dialtone.node.lan;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a DNS message for {@link MdnsCodec}: header, names without compression unless asked, lengths patched. */
final class MdnsWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
  private byte[] buf;

  void header(int flags, int qd, int an, int ar) {
    u16(0);
    u16(flags);
    u16(qd);
    u16(an);
    u16(0);
    u16(ar);
  }

  void u8(int v) {
    out.write(v);
  }

  void u16(int v) {
    out.write(v >> 8);
    out.write(v);
  }

  void u32(long v) {
    u16((int) (v >>> 16) & 0xffff);
    u16((int) v & 0xffff);
  }

  /** A resource record's type, class and time to live, after its name (RFC 1035, section 4.1.3). */
  void recordHeader(int type, int cls, long ttlSeconds) {
    u16(type);
    u16(cls);
    u32(ttlSeconds);
  }

  void raw(byte[] b) {
    out.write(b, 0, b.length);
  }

  void name(String name) {
    for (String label : name.split("\\.")) {
      label(label);
    }
    u8(0);
  }

  void label(String label) {
    byte[] b = label.getBytes(StandardCharsets.UTF_8);
    if (b.length == 0 || b.length > 63) {
      throw new IllegalArgumentException("a DNS label is 1 to 63 bytes: '" + label + "'");
    }
    u8(b.length);
    raw(b);
  }

  /** A compression pointer to the name at {@code offset} (RFC 1035, section 4.1.4). */
  void pointer(int offset) {
    u16(0xc000 | offset);
  }

  int size() {
    return out.size();
  }

  /** Writes a 16-bit length, then what {@code body} writes, then patches the length. */
  void withLength(Runnable body) {
    int at = out.size();
    u16(0);
    body.run();
    buf = out.toByteArray();
    int len = buf.length - at - 2;
    buf[at] = (byte) (len >> 8);
    buf[at + 1] = (byte) len;
    out.reset();
    out.write(buf, 0, buf.length);
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
