package org.dialtone.resolver.number;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The named numbers, all on the primary coefficient 196884: 0 Bootstrap, 1 j-Invariant, 2 Haystack, 3 Tikkun,
 * 70 Moonshine, 100 General chat, 200 File exchange, 300 Games. Names resolve both ways.
 *
 * <p>Lookup by name ignores ASCII case and nothing else: "general chat" is General chat, "general-chat" and
 * " General chat" are not, and neither is a name spelled with look-alike non-ASCII letters (the Kelvin sign
 * U+212A, which Java's case-insensitive comparison folds to 'k').
 */
public final class NamedNumbers {
  private static final Map<String, DialNumber> BY_NAME = byNameInShardOrder();
  private static final Map<String, DialNumber> BY_FOLDED_NAME = folded(BY_NAME);

  private NamedNumbers() {}

  /** Every named number, name to number, in shard order. */
  public static Map<String, DialNumber> all() {
    return BY_NAME;
  }

  /** The number with this name, ignoring ASCII case. */
  public static Optional<DialNumber> byName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.length() > DialNumber.MAX_LENGTH) {
      return Optional.empty();
    }
    return fold(name).map(BY_FOLDED_NAME::get);
  }

  /** The name of this number, if it has one. */
  public static Optional<String> nameOf(DialNumber number) {
    Objects.requireNonNull(number, "number");
    for (var entry : BY_NAME.entrySet()) {
      if (entry.getValue().equals(number)) {
        return Optional.of(entry.getKey());
      }
    }
    return Optional.empty();
  }

  private static Map<String, DialNumber> byNameInShardOrder() {
    var names = new LinkedHashMap<String, DialNumber>();
    names.put("Bootstrap", DialNumber.BOOTSTRAP);
    names.put("j-Invariant", DialNumber.J_INVARIANT);
    names.put("Haystack", DialNumber.HAYSTACK);
    names.put("Tikkun", DialNumber.TIKKUN);
    names.put("Moonshine", DialNumber.MOONSHINE);
    names.put("General chat", DialNumber.GENERAL_CHAT);
    names.put("File exchange", DialNumber.FILE_EXCHANGE);
    names.put("Games", DialNumber.GAMES);
    return Collections.unmodifiableMap(names);
  }

  private static Map<String, DialNumber> folded(Map<String, DialNumber> byName) {
    var folded = new LinkedHashMap<String, DialNumber>();
    byName.forEach((name, number) -> folded.put(fold(name).orElseThrow(), number));
    return Map.copyOf(folded);
  }

  /** Lower-cases ASCII letters; empty if the string has anything outside printable ASCII. */
  private static Optional<String> fold(String s) {
    var out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        return Optional.empty();
      }
      out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return Optional.of(out.toString());
  }
}
