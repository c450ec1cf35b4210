package org.dialtone.dht.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dialtone.dht.codec.CborException.Rule;

/**
 * A test model of the CBOR subset: a tree of values that {@link #read} builds with the production reader and
 * {@link #encode} writes back, independently of {@link CborWriter}, optionally with one {@link Flaw} at one node, so
 * that each rule of the subset can be broken on purpose anywhere in any valid input.
 */
public sealed interface CborValue {
  /** An unsigned integer, as 64 unsigned bits. */
  record UInt(long value) implements CborValue {}

  /** A negative integer {@code -1 - argument}, the argument as 64 unsigned bits. */
  record NInt(long argument) implements CborValue {}

  /** A byte string. */
  record Bytes(byte[] value) implements CborValue {
    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }
  }

  /** A text string. */
  record Text(String value) implements CborValue {}

  /** {@code true} or {@code false}. */
  record Bool(boolean value) implements CborValue {}

  /** An array. */
  record Arr(List<CborValue> items) implements CborValue {}

  /** A map, its entries in the order they are written. */
  record MapV(List<Entry> entries) implements CborValue {}

  /** One map entry. */
  record Entry(CborValue key, CborValue value) {}

  /** Reads a whole input with the production reader (which must accept it) into the model. */
  public static CborValue read(byte[] in, int maxDepth) throws CborException {
    CborReader r = new CborReader(in, maxDepth);
    CborValue v = readItem(r);
    r.expectEnd();
    return v;
  }

  private static CborValue readItem(CborReader r) throws CborException {
    return switch (r.peek()) {
      case UNSIGNED -> new UInt(r.readUnsigned());
      case NEGATIVE -> new NInt(r.readNegative());
      case BYTES -> new Bytes(r.readBytes());
      case TEXT -> new Text(r.readText());
      case BOOLEAN -> new Bool(r.readBoolean());
      case ARRAY -> {
        int n = r.readArray();
        List<CborValue> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          items.add(readItem(r));
        }
        yield new Arr(items);
      }
      case MAP -> {
        int n = r.readMap();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          CborValue key = readItem(r);
          entries.add(new Entry(key, readItem(r)));
        }
        yield new MapV(entries);
      }
    };
  }

  /** Ways to break the subset at one node; each names the rule the reader must report. */
  public enum Flaw {
    NOT_SHORTEST(Rule.NOT_SHORTEST),
    INDEFINITE(Rule.INDEFINITE_LENGTH),
    TAG(Rule.TAG),
    FLOAT(Rule.FLOAT),
    NULL(Rule.SIMPLE_VALUE),
    RESERVED(Rule.NOT_WELL_FORMED),
    TEXT_KEY(Rule.KEY_NOT_INTEGER),
    DUPLICATE_KEY(Rule.DUPLICATE_KEY),
    SWAPPED_KEYS(Rule.KEYS_OUT_OF_ORDER),
    DEEP(Rule.TOO_DEEP),
    BAD_UTF8(Rule.INVALID_UTF8);

    private final Rule rule;

    Flaw(Rule rule) {
      this.rule = rule;
    }

    /** The rule the reader must name. */
    public Rule rule() {
      return rule;
    }

    /** Whether this flaw can be put at {@code node} (a map key when {@code isKey}). */
    public boolean fits(CborValue node, boolean isKey) {
      return switch (this) {
        // A head can be written one size longer unless it is already 8 bytes long (or has no argument).
        case NOT_SHORTEST -> node instanceof UInt u ? Long.compareUnsigned(u.value(), 1L << 32) < 0
            : node instanceof NInt n ? Long.compareUnsigned(n.argument(), 1L << 32) < 0
            : !(node instanceof Bool);
        case INDEFINITE -> node instanceof Bytes || node instanceof Text || node instanceof Arr
            || node instanceof MapV;
        case TAG, FLOAT, NULL, RESERVED -> true;
        case TEXT_KEY -> isKey;
        case DUPLICATE_KEY, SWAPPED_KEYS -> node instanceof MapV m && m.entries().size() >= 2;
        case DEEP, BAD_UTF8 -> !isKey;
      };
    }
  }

  /** The deterministic encoding of this value. */
  default byte[] encode() {
    return encode(null, -1, 0);
  }

  /** The encoding with {@code flaw} at the {@code target}-th node that it fits (pre-order), {@code seed} choosing. */
  default byte[] encode(Flaw flaw, int target, int seed) {
    Encoder e = new Encoder(flaw, target, seed);
    e.write(this, false);
    return e.out.toByteArray();
  }

  /** How many nodes {@code flaw} fits in this value. */
  default int places(Flaw flaw) {
    int[] count = {0};
    count(this, false, flaw, count);
    return count[0];
  }

  private static void count(CborValue v, boolean isKey, Flaw flaw, int[] count) {
    if (flaw.fits(v, isKey)) {
      count[0]++;
    }
    if (v instanceof Arr a) {
      a.items().forEach(i -> count(i, false, flaw, count));
    } else if (v instanceof MapV m) {
      for (Entry en : m.entries()) {
        count(en.key(), true, flaw, count);
        count(en.value(), false, flaw, count);
      }
    }
  }

  /** Writes the model, putting the flaw at the chosen node. */
  final class Encoder {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Flaw flaw;
    private final int target;
    private final int seed;
    private int seen;

    Encoder(Flaw flaw, int target, int seed) {
      this.flaw = flaw;
      this.target = target;
      this.seed = seed;
    }

    void write(CborValue v, boolean isKey) {
      boolean here = flaw != null && flaw.fits(v, isKey) && seen++ == target;
      if (!here) {
        writePlain(v, false, false);
        return;
      }
      switch (flaw) {
        case NOT_SHORTEST -> writePlain(v, true, false);
        case INDEFINITE -> writePlain(v, false, true);
        case TAG -> {
          out.write(0xc0 | (seed & 0x0f)); // tags 0..15, one byte
          writePlain(v, false, false);
        }
        case FLOAT -> out.writeBytes(new byte[] {(byte) 0xf9, 0x3c, 0x00}); // 1.0 as a half float
        case NULL -> out.write(0xf6 + (seed & 1)); // null or undefined
        case RESERVED -> out.write(new int[] {0x1c, 0x5d, 0xfe, 0xff}[seed & 3]);
        case TEXT_KEY -> out.writeBytes(new byte[] {0x61, 'k'});
        case DUPLICATE_KEY, SWAPPED_KEYS -> {
          List<Entry> entries = new ArrayList<>(((MapV) v).entries());
          int i = Math.floorMod(seed, entries.size() - 1);
          Entry a = entries.get(i);
          Entry b = entries.get(i + 1);
          if (flaw == Flaw.DUPLICATE_KEY) {
            entries.set(i + 1, new Entry(a.key(), b.value()));
          } else {
            entries.set(i, b);
            entries.set(i + 1, a);
          }
          head(5, entries.size(), false);
          for (Entry en : entries) {
            writePlain(en.key(), false, false);
            write(en.value(), false);
          }
        }
        case DEEP -> {
          for (int i = 0; i < 9; i++) {
            out.write(0x81);
          }
          writePlain(v, false, false);
        }
        case BAD_UTF8 -> out.writeBytes(new byte[][] {
          {0x62, (byte) 0xc0, (byte) 0x80}, {0x63, (byte) 0xed, (byte) 0xa0, (byte) 0x80}, {0x61, (byte) 0x80},
          {0x64, (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}}[seed & 3]);
      }
    }

    /** Writes {@code v} itself plainly (its children through {@link #write}), its head long or indefinite. */
    private void writePlain(CborValue v, boolean longHead, boolean indefinite) {
      if (v instanceof UInt u) {
        head(0, u.value(), longHead);
      } else if (v instanceof NInt n) {
        head(1, n.argument(), longHead);
      } else if (v instanceof Bytes b) {
        string(2, b.value(), longHead, indefinite);
      } else if (v instanceof Text t) {
        string(3, t.value().getBytes(StandardCharsets.UTF_8), longHead, indefinite);
      } else if (v instanceof Bool b) {
        out.write(b.value() ? 0xf5 : 0xf4);
      } else if (v instanceof Arr a) {
        if (indefinite) {
          out.write(0x9f);
        } else {
          head(4, a.items().size(), longHead);
        }
        a.items().forEach(i -> write(i, false));
        if (indefinite) {
          out.write(0xff);
        }
      } else if (v instanceof MapV m) {
        if (indefinite) {
          out.write(0xbf);
        } else {
          head(5, m.entries().size(), longHead);
        }
        for (Entry en : m.entries()) {
          write(en.key(), true);
          write(en.value(), false);
        }
        if (indefinite) {
          out.write(0xff);
        }
      }
    }

    private void string(int major, byte[] bytes, boolean longHead, boolean indefinite) {
      if (indefinite) {
        out.write(major << 5 | 31);
        head(major, bytes.length, false);
        out.writeBytes(bytes);
        out.write(0xff);
      } else {
        head(major, bytes.length, longHead);
        out.writeBytes(bytes);
      }
    }

    /** A head in its shortest form, or one size longer than that when {@code longer}. */
    private void head(int major, long argument, boolean longer) {
      int size = argument >= 0 && argument < 24 ? 0
          : argument >= 0 && argument < 0x100 ? 1
          : argument >= 0 && argument < 0x10000 ? 2
          : argument >= 0 && argument < 0x100000000L ? 4 : 8;
      if (longer) {
        size = size == 0 ? 1 : Math.min(8, size * 2);
      }
      if (size == 0) {
        out.write(major << 5 | (int) argument);
        return;
      }
      out.write(major << 5 | (24 + Integer.numberOfTrailingZeros(size)));
      for (int i = size - 1; i >= 0; i--) {
        out.write((int) (argument >>> (8 * i)) & 0xff);
      }
    }
  }
}
