package org.dialtone.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java op generator draws exactly what peers/common.mjs draws (reference values printed by node). */
class OpsTest {
  @Test
  void mulberry32MatchesTheJavaScriptReference() {
    Mulberry32 r = new Mulberry32(1, 1000);
    double[] expected = {0.9862349405884743, 0.21648627263493836, 0.5751798236742616, 0.08385180518962443,
        0.23857646621763706};
    for (double e : expected) {
      assertEquals(e, r.next(), 0.0);
    }
    Mulberry32 r2 = new Mulberry32(2, 100);
    assertEquals(0.5739800236187875, r2.next(), 0.0);
    assertEquals(0.5887001946102828, r2.next(), 0.0);
    assertEquals(0.4120882535353303, r2.next(), 0.0);
  }

  @Test
  void opsMatchTheJavaScriptReference() {
    List<List<Ops.Op>> ops = Ops.generate(1, 1000, 200, 32);
    Ops.Op first = ops.get(0).get(0);
    assertEquals(986, first.a());
    assertEquals(216, first.l());
    assertEquals("93153d76b274752d1673a7a1726438440da2f2e4a1dcebe8d5dbba0930dcf4fe",
        HexFormat.of().formatHex(first.key()));
    Ops.Op last = ops.get(1).get(199);
    assertEquals(31, last.a());
    assertEquals(203, last.l());
    assertEquals("09646f708380fa6c82a4bf031bfb0dcab55c7600fa84e331179b8791809a298f",
        HexFormat.of().formatHex(last.key()));
    Ops.Op bt = Ops.generate(2, 500, 200, 20).get(0).get(5);
    assertEquals(288, bt.a());
    assertEquals(147, bt.l());
    assertEquals("da4452fd12abf787d61fec78b17700ce9d4807e0", HexFormat.of().formatHex(bt.key()));
  }
}
