package org.dialtone.resolver.number;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NamedNumbersTest {
  @Test
  void theNamesInShardOrder() {
    assertEquals(List.of("Bootstrap", "j-Invariant", "Haystack", "Tikkun", "Moonshine", "General chat",
        "File exchange", "Games"), List.copyOf(NamedNumbers.all().keySet()));
    assertEquals(List.of(0, 1, 2, 3, 70, 100, 200, 300),
        NamedNumbers.all().values().stream().map(DialNumber::shard).toList());
    NamedNumbers.all().values().forEach(n -> assertEquals(DialNumber.PRIMARY_COEFFICIENT, n.coefficient()));
    assertThrows(UnsupportedOperationException.class, () -> NamedNumbers.all().clear());
  }

  @Test
  void bothWays() {
    NamedNumbers.all().forEach((name, number) -> {
      assertEquals(Optional.of(number), NamedNumbers.byName(name));
      assertEquals(Optional.of(name), NamedNumbers.nameOf(number));
      assertEquals(Optional.of(name), number.name());
    });
    assertEquals(Optional.empty(), NamedNumbers.nameOf(DialNumber.primary(4)));
  }

  @Test
  void ignoresAsciiCaseAndNothingElse() {
    assertEquals(Optional.of(DialNumber.FILE_EXCHANGE), NamedNumbers.byName("FILE EXCHANGE"));
    assertEquals(Optional.of(DialNumber.HAYSTACK), NamedNumbers.byName("hAyStAcK"));
    assertEquals(Optional.empty(), NamedNumbers.byName("file-exchange"));
    assertEquals(Optional.empty(), NamedNumbers.byName("j invariant"));
    assertEquals(Optional.empty(), NamedNumbers.byName("Games "));
    assertEquals(Optional.empty(), NamedNumbers.byName("General  chat"));
    // The Kelvin sign folds to 'k' under String.equalsIgnoreCase; here it is just not a name.
    assertEquals(Optional.empty(), NamedNumbers.byName("Haystac\u212A"));
    assertEquals(Optional.empty(), NamedNumbers.byName(""));
    assertEquals(Optional.empty(), NamedNumbers.byName("Games".repeat(100)));
  }
}
