package org.dialtone.node.lan;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a DNS message strictly for {@link MdnsCodec}: every read checks the size first, and a name follows
 * compression pointers only backwards, so reading always ends.
 */
final class MdnsReader {
  final byte[] data;
  int pos;

  MdnsReader(byte[] data) {
    this.data = data;
  }

  void need(int n) throws MdnsFormatException {
    if (n < 0 || pos + n > data.length) {
      throw new MdnsFormatException("truncated at byte " + pos);
    }
  }

  int u8() throws MdnsFormatException {
    need(1);
    return data[pos++] & 0xff;
  }

  int u16() throws MdnsFormatException {
    need(2);
    int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  long u32() throws MdnsFormatException {
    return ((long) u16() << 16) | u16();
  }

  byte[] raw(int n) throws MdnsFormatException {
    need(n);
    byte[] b = java.util.Arrays.copyOfRange(data, pos, pos + n);
    pos += n;
    return b;
  }

  /** A name, following compression pointers; each must point before the previous one, so reading ends. */
  String name() throws MdnsFormatException {
    StringBuilder out = new StringBuilder();
    int p = pos;
    int limit = pos; // a pointer must point before this
    boolean jumped = false;
    int total = 0;
    while (true) {
      if (p >= data.length) {
        throw new MdnsFormatException("name runs past the end of the packet");
      }
      int len = data[p] & 0xff;
      if (len == 0) {
        p++;
        break;
      }
      if ((len & 0xc0) == 0xc0) {
        if (p + 1 >= data.length) {
          throw new MdnsFormatException("truncated compression pointer");
        }
        int target = ((len & 0x3f) << 8) | (data[p + 1] & 0xff);
        if (target >= limit) {
          throw new MdnsFormatException("compression pointer does not point backwards");
        }
        if (!jumped) {
          pos = p + 2;
          jumped = true;
        }
        limit = target;
        p = target;
        continue;
      }
      if ((len & 0xc0) != 0) {
        throw new MdnsFormatException("reserved label type");
      }
      if (p + 1 + len > data.length) {
        throw new MdnsFormatException("label runs past the end of the packet");
      }
      total += len + 1;
      if (total > 255) {
        throw new MdnsFormatException("name longer than 255 bytes");
      }
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(new String(data, p + 1, len, StandardCharsets.UTF_8));
      p += 1 + len;
    }
    if (!jumped) {
      pos = p;
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }
}
