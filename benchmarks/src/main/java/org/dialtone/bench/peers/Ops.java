package org.dialtone.bench.peers;

import java.util.ArrayList;
import java.util.List;

/** The ops of SCENARIO.md §5: for each mode (seq, then conc16), M ops drawn from one mulberry32 stream. */
public final class Ops {
  private Ops() {}

  /** One op: node {@code a} announces {@code key}, then node {@code l} (never {@code a}) looks it up. */
  public record Op(int a, int l, byte[] key) {}

  /** The two modes' ops, in order: index 0 is {@code seq}, index 1 is {@code conc16}. */
  public static List<List<Op>> generate(int seed, int n, int m, int keyLen) {
    Mulberry32 r = new Mulberry32(seed, n);
    List<List<Op>> modes = new ArrayList<>();
    for (int mode = 0; mode < 2; mode++) {
      List<Op> ops = new ArrayList<>(m);
      for (int i = 0; i < m; i++) {
        int a = (int) Math.floor(r.next() * n);
        int l = (int) Math.floor(r.next() * (n - 1));
        if (l >= a) {
          l++;
        }
        byte[] key = new byte[keyLen];
        for (int b = 0; b < keyLen; b++) {
          key[b] = (byte) Math.floor(r.next() * 256);
        }
        ops.add(new Op(a, l, key));
      }
      modes.add(ops);
    }
    return modes;
  }
}
