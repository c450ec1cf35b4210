package org.dialtone.resolver.number;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The computed coefficients against the published ones (OEIS A000521), against a second, independent computation,
 * and against Lehner's congruences.
 */
class JInvariantTest {
  /** c(-1) .. c(10), as published (OEIS A000521). */
  private static final List<BigInteger> PUBLISHED = List.of(
      big("1"), big("744"), big("196884"), big("21493760"), big("864299970"), big("20245856256"),
      big("333202640600"), big("4252023300096"), big("44656994071935"), big("401490886656000"),
      big("3176440229784420"), big("22567393309593600"));

  private static BigInteger big(String s) {
    return new BigInteger(s);
  }

  @Test
  void computedCoefficientsMatchThePublishedOnes() {
    for (int n = -1; n <= 10; n++) {
      assertEquals(PUBLISHED.get(n + 1), JInvariant.coefficient(n), "c(" + n + ")");
    }
    assertEquals(PUBLISHED, JInvariant.coefficients(10));
  }

  @Test
  void agreesWithASecondComputationThroughE6() {
    // Delta = (E4^3 - E6^2) / 1728 instead of q prod (1 - q^n)^24; two more coefficients than the table holds.
    List<BigInteger> other = viaE6(JInvariant.MAX_INDEX + 2);
    assertEquals(other.subList(0, JInvariant.MAX_INDEX + 2), JInvariant.coefficients(JInvariant.MAX_INDEX));
    assertEquals(other.subList(0, JInvariant.MAX_INDEX + 2), JInvariant.compute(JInvariant.MAX_INDEX));
  }

  @Test
  void jMinus1728IsE6SquaredOverDelta() {
    // j - 1728 = E6^2 / Delta, a third identity: its q-series agrees with c(n) everywhere except the constant term.
    int degree = JInvariant.MAX_INDEX + 1;
    BigInteger[] e6 = eisenstein(degree, 5, -504);
    BigInteger[] qj = divide(multiply(e6, e6, degree), deltaOverQ(degree), degree);
    for (int n = -1; n <= JInvariant.MAX_INDEX; n++) {
      BigInteger expected = JInvariant.coefficient(n).subtract(n == 0 ? BigInteger.valueOf(1728) : BigInteger.ZERO);
      assertEquals(expected, qj[n + 1], "c(" + n + ")");
    }
  }

  @Test
  void lehnerCongruencesHold() {
    // c(2^a m) = 0 mod 2^(3a+8), c(3^a m) = 0 mod 3^(2a+3), c(5^a m) = 0 mod 5^(a+1), c(7^a m) = 0 mod 7^a.
    int[][] primeAndExponent = {{2, 3, 8}, {3, 2, 3}, {5, 1, 1}, {7, 1, 0}};
    for (int n = 1; n <= JInvariant.MAX_INDEX; n++) {
      for (int[] p : primeAndExponent) {
        int a = 0;
        for (int m = n; m % p[0] == 0; m /= p[0]) {
          a++;
        }
        if (a > 0) {
          BigInteger modulus = BigInteger.valueOf(p[0]).pow(p[1] * a + p[2]);
          assertEquals(BigInteger.ZERO, JInvariant.coefficient(n).mod(modulus), "c(" + n + ") mod " + modulus);
        }
      }
    }
  }

  @Test
  void coefficientsGrowAndTheLargestHas53Digits() {
    for (int n = 1; n < JInvariant.MAX_INDEX; n++) {
      assertTrue(JInvariant.coefficient(n).compareTo(JInvariant.coefficient(n + 1)) < 0, "c(n) < c(n+1) at " + n);
    }
    assertEquals(53, JInvariant.coefficient(JInvariant.MAX_INDEX).toString().length());
    String longest = "744-" + JInvariant.coefficient(JInvariant.MAX_INDEX) + "-999";
    assertEquals(61, longest.length());
    assertTrue(longest.length() <= DialNumber.MAX_LENGTH);
  }

  @Test
  void indexOfFindsExactlyTheCoefficientsOfQ1ToQ100() {
    for (int n = 1; n <= JInvariant.MAX_INDEX; n++) {
      BigInteger c = JInvariant.coefficient(n);
      assertEquals(OptionalInt.of(n), JInvariant.indexOf(c));
      assertEquals(OptionalInt.empty(), JInvariant.indexOf(c.add(BigInteger.ONE)));
      assertEquals(OptionalInt.empty(), JInvariant.indexOf(c.subtract(BigInteger.ONE)));
    }
    assertEquals(OptionalInt.empty(), JInvariant.indexOf(BigInteger.ONE));
    assertEquals(OptionalInt.empty(), JInvariant.indexOf(BigInteger.valueOf(744)));
    assertEquals(OptionalInt.empty(), JInvariant.indexOf(BigInteger.ZERO));
    assertEquals(OptionalInt.empty(), JInvariant.indexOf(viaE6(JInvariant.MAX_INDEX + 1).get(JInvariant.MAX_INDEX + 2)));
  }

  @Test
  void indicesOutsideTheTableAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> JInvariant.coefficient(-2));
    assertThrows(IllegalArgumentException.class, () -> JInvariant.coefficient(JInvariant.MAX_INDEX + 1));
    assertThrows(IllegalArgumentException.class, () -> JInvariant.coefficients(JInvariant.MAX_INDEX + 1));
    assertEquals(List.of(BigInteger.ONE), JInvariant.coefficients(-1));
    assertThrows(UnsupportedOperationException.class, () -> JInvariant.coefficients(3).set(0, BigInteger.TEN));
  }

  /** c(-1) .. c(maxIndex) as E4^3 / Delta with Delta = (E4^3 - E6^2) / 1728. */
  static List<BigInteger> viaE6(int maxIndex) {
    int degree = maxIndex + 2; // Delta / q needs one more term of E4^3 - E6^2
    BigInteger[] e4 = eisenstein(degree, 3, 240);
    BigInteger[] e6 = eisenstein(degree, 5, -504);
    BigInteger[] e4Cubed = multiply(multiply(e4, e4, degree), e4, degree);
    BigInteger[] e6Squared = multiply(e6, e6, degree);
    BigInteger[] deltaOverQ = new BigInteger[degree];
    for (int k = 0; k < degree; k++) {
      BigInteger[] qr = e4Cubed[k + 1].subtract(e6Squared[k + 1]).divideAndRemainder(BigInteger.valueOf(1728));
      assertEquals(BigInteger.ZERO, qr[1]);
      deltaOverQ[k] = qr[0];
    }
    BigInteger[] qj = divide(Arrays.copyOf(e4Cubed, degree), deltaOverQ, degree - 1);
    return List.of(qj).subList(0, maxIndex + 2);
  }

  /** 1 + factor * sum sigma_power(n) q^n, by direct divisor sums. */
  private static BigInteger[] eisenstein(int degree, int power, int factor) {
    BigInteger[] e = new BigInteger[degree + 1];
    e[0] = BigInteger.ONE;
    for (int n = 1; n <= degree; n++) {
      BigInteger sigma = BigInteger.ZERO;
      for (int d = 1; d <= n; d++) {
        if (n % d == 0) {
          sigma = sigma.add(BigInteger.valueOf(d).pow(power));
        }
      }
      e[n] = sigma.multiply(BigInteger.valueOf(factor));
    }
    return e;
  }

  /** Delta / q = prod (1 - q^n)^24 as the 24th power of Euler's product, built by repeated multiplication. */
  private static BigInteger[] deltaOverQ(int degree) {
    BigInteger[] euler = new BigInteger[degree + 1];
    Arrays.fill(euler, BigInteger.ZERO);
    euler[0] = BigInteger.ONE;
    for (int n = 1; n <= degree; n++) {
      for (int k = degree; k >= n; k--) {
        euler[k] = euler[k].subtract(euler[k - n]);
      }
    }
    BigInteger[] power = euler;
    for (int i = 1; i < 24; i++) {
      power = multiply(power, euler, degree);
    }
    return power;
  }

  private static BigInteger[] multiply(BigInteger[] a, BigInteger[] b, int degree) {
    BigInteger[] c = new BigInteger[degree + 1];
    Arrays.fill(c, BigInteger.ZERO);
    for (int i = 0; i <= degree; i++) {
      for (int j = 0; i + j <= degree; j++) {
        c[i + j] = c[i + j].add(a[i].multiply(b[j]));
      }
    }
    return c;
  }

  private static BigInteger[] divide(BigInteger[] a, BigInteger[] b, int degree) {
    BigInteger[] r = new BigInteger[degree + 1];
    for (int k = 0; k <= degree; k++) {
      BigInteger sum = a[k];
      for (int i = 1; i <= k; i++) {
        sum = sum.subtract(b[i].multiply(r[k - i]));
      }
      r[k] = sum.divide(b[0]);
    }
    return r;
  }
}
