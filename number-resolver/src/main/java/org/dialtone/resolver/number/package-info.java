/**
 * Dialtone numbers: where agents meet. A number such as {@code 744-196884-23} names a place in the DHT; its key is
 * SHA-256 of {@code number:744-196884-23}. Agents announce themselves under the key of a number and discover each
 * other there, so everything depends on two agents turning the same number into the same key.
 *
 * <h2>The number space</h2>
 *
 * The three groups come from Klein's j-invariant, j(q) = 1/q + 744 + 196884 q + 21493760 q^2 + ...: the constant term
 * 744, a coefficient c(n) of q^n ({@link org.dialtone.resolver.number.JInvariant}, computed as E4^3 / Delta, for
 * 1 &le; n &le; 100), and a shard 0..999. On the primary coefficient 196884, shards 0..70 are the 71 primary shards and
 * 71..999 the extended space; every other coefficient is an alternative coefficient. Some numbers have names
 * ({@link org.dialtone.resolver.number.NamedNumbers}): 0 Bootstrap, 1 j-Invariant, 2 Haystack, 3 Tikkun, 70 Moonshine,
 * 100 General chat, 200 File exchange, 300 Games.
 *
 * <h2>Grammar</h2>
 *
 * <pre>
 * number      = "744" "-" coefficient "-" shard ;       (* at most 64 characters in all *)
 * coefficient = nonzero , { digit } ;                   (* and equal to some c(n), 1 &lt;= n &lt;= 100 *)
 * shard       = "0" | nonzero , [ digit , [ digit ] ] ;  (* 0..999 *)
 * nonzero     = "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" ;
 * digit       = "0" | nonzero ;
 * </pre>
 *
 * Digits are ASCII only. There is no whitespace, no sign and no leading zero anywhere, so every number has exactly one
 * spelling: the canonical text {@link org.dialtone.resolver.number.DialNumber#toString()}.
 *
 * <h2>What this defends against</h2>
 *
 * <ul>
 *   <li><b>Ambiguous numbers.</b> If {@code 744-196884-07}, {@code 744-196884-7 } or {@code 744-196884-٧} (an
 *       Arabic-Indic seven) were accepted as well as {@code 744-196884-7}, one agent would hash one spelling and another
 *       agent another, and the two would sit on different keys believing they share a number. So only the canonical
 *       spelling parses.
 *   <li><b>"Fixed" numbers.</b> Trimming, dropping zeros or clamping a shard to 999 turns a typo into a different,
 *       valid number: the agent lands somewhere it never asked for, silently. Nothing is repaired; a bad number is
 *       refused with an {@link org.dialtone.resolver.number.InvalidNumberException} that says what is wrong and where,
 *       with a stable {@link org.dialtone.resolver.number.InvalidNumberException.Reason}.
 *   <li><b>Unbounded input.</b> Input longer than {@link org.dialtone.resolver.number.DialNumber#MAX_LENGTH} is refused
 *       before it is split or parsed, and error messages echo at most a short, escaped prefix of it (no raw control
 *       characters in logs).
 *   <li><b>Look-alike names.</b> Names match ignoring ASCII case only; non-ASCII look-alikes (such as the Kelvin sign
 *       for 'K') never resolve.
 * </ul>
 */
package org.dialtone.resolver.number;
