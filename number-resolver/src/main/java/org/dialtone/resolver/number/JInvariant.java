package org.dialtone.resolver.number;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The Fourier coefficients of Klein's j-invariant, j(q) = 1/q + 744 + 196884 q + 21493760 q^2 + ..., computed rather
 * than typed in: j = E4^3 / Delta, with E4 = 1 + 240 sum sigma3(n) q^n and Delta = q prod (1 - q^n)^24, in exact
 * {@link BigInteger} power-series arithmetic.
 *
 * <p>The coefficients c(-1) .. c({@value #MAX_INDEX}) are computed once, on first use (thread-safe, by class
 * initialisation of a holder), and kept. c(100) has 53 decimal digits; indices past {@value #MAX_INDEX} are refused.
 */
public final class JInvariant {
  /** The largest index n whose coefficient c(n) is computed and can appear in a number. */
  public static final int MAX_INDEX = 100;

  private JInvariant() {}

  /**
   * The coefficient c(n) of q^n.
   *
   * @param n -1 (c(-1) = 1, the 1/q term), 0 (c(0) = 744) or 1 .. {@value #MAX_INDEX}
   * @throws IllegalArgumentException if n is outside -1 .. {@value #MAX_INDEX}
   */
  public static BigInteger coefficient(int n) {
    checkIndex(n);
    return Table.COEFFICIENTS.get(n + 1);
  }

  /**
   * The coefficients c(-1), c(0), .. c(upToN), in that order: element i is c(i - 1).
   *
   * @param upToN -1 .. {@value #MAX_INDEX}
   * @throws IllegalArgumentException if upToN is outside -1 .. {@value #MAX_INDEX}
   */
  public static List<BigInteger> coefficients(int upToN) {
    checkIndex(upToN);
    return Table.COEFFICIENTS.subList(0, upToN + 2);
  }

  /**
   * The index n in 1 .. {@value #MAX_INDEX} with c(n) = c, if there is one. The constant term 744 and the 1/q
   * term 1 are not q^n coefficients for n &ge; 1 and have no index here.
   */
  public static OptionalInt indexOf(BigInteger c) {
    Integer n = Table.INDEX.get(c);
    return n == null ? OptionalInt.empty() : OptionalInt.of(n);
  }

  private static void checkIndex(int n) {
    if (n < -1 || n > MAX_INDEX) {
      throw new IllegalArgumentException("j-invariant coefficient index must be in -1.." + MAX_INDEX + ", got " + n);
    }
  }

  /** Computed on first access to any of the above; the JVM's class initialisation makes that once and thread-safe. */
  private static final class Table {
    static final List<BigInteger> COEFFICIENTS = compute(MAX_INDEX);
    static final Map<BigInteger, Integer> INDEX = index(COEFFICIENTS);

    private static Map<BigInteger, Integer> index(List<BigInteger> coefficients) {
      var index = new HashMap<BigInteger, Integer>();
      for (int n = 1; n <= MAX_INDEX; n++) {
        index.put(coefficients.get(n + 1), n);
      }
      return Map.copyOf(index);
    }
  }

  /**
   * c(-1) .. c(maxIndex) as an immutable list (element i is c(i - 1)). Works on q * j = E4^3 / (Delta / q), whose
   * series has a constant term, so every series here is an ordinary power series truncated after q^(maxIndex + 1).
   */
  static List<BigInteger> compute(int maxIndex) {
    int degree = maxIndex + 1;
    BigInteger[] e4 = eisensteinE4(degree);
    BigInteger[] e4Cubed = multiply(multiply(e4, e4, degree), e4, degree);
    BigInteger[] deltaOverQ = deltaOverQ(degree);
    BigInteger[] qj = divide(e4Cubed, deltaOverQ, degree);
    var out = new ArrayList<BigInteger>(degree + 1);
    for (BigInteger c : qj) {
      out.add(c);
    }
    return List.copyOf(out);
  }

  /** E4 = 1 + 240 sum_{n >= 1} sigma3(n) q^n, up to q^degree. */
  private static BigInteger[] eisensteinE4(int degree) {
    BigInteger[] e4 = zeros(degree);
    e4[0] = BigInteger.ONE;
    BigInteger[] sigma3 = zeros(degree);
    for (int d = 1; d <= degree; d++) {
      BigInteger cube = BigInteger.valueOf(d).pow(3);
      for (int m = d; m <= degree; m += d) {
        sigma3[m] = sigma3[m].add(cube);
      }
    }
    for (int n = 1; n <= degree; n++) {
      e4[n] = sigma3[n].multiply(BigInteger.valueOf(240));
    }
    return e4;
  }

  /** Delta / q = prod_{n >= 1} (1 - q^n)^24, up to q^degree: multiply by (1 - q^n) 24 times for each n, in place. */
  private static BigInteger[] deltaOverQ(int degree) {
    BigInteger[] p = zeros(degree);
    p[0] = BigInteger.ONE;
    for (int n = 1; n <= degree; n++) {
      for (int times = 0; times < 24; times++) {
        for (int k = degree; k >= n; k--) {
          p[k] = p[k].subtract(p[k - n]);
        }
      }
    }
    return p;
  }

  private static BigInteger[] multiply(BigInteger[] a, BigInteger[] b, int degree) {
    BigInteger[] c = zeros(degree);
    for (int i = 0; i <= degree; i++) {
      if (a[i].signum() == 0) {
        continue;
      }
      for (int j = 0; i + j <= degree; j++) {
        c[i + j] = c[i + j].add(a[i].multiply(b[j]));
      }
    }
    return c;
  }

  /** a / b for a divisor with constant term 1: r[k] = a[k] - sum_{i=1..k} b[i] r[k - i]. */
  private static BigInteger[] divide(BigInteger[] a, BigInteger[] b, int degree) {
    if (!b[0].equals(BigInteger.ONE)) {
      throw new IllegalStateException("divisor must have constant term 1");
    }
    BigInteger[] r = zeros(degree);
    for (int k = 0; k <= degree; k++) {
      BigInteger sum = a[k];
      for (int i = 1; i <= k; i++) {
        sum = sum.subtract(b[i].multiply(r[k - i]));
      }
      r[k] = sum;
    }
    return r;
  }

  private static BigInteger[] zeros(int degree) {
    BigInteger[] s = new BigInteger[degree + 1];
    Arrays.fill(s, BigInteger.ZERO);
    return s;
  }
}
