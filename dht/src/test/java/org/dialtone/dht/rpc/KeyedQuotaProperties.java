package org.dialtone.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever keys take and give places, in any order: no key holds more than its share, the places held never exceed
 * the total, a refused take takes nothing, and a give of a key that holds nothing changes nothing.
 */
class KeyedQuotaProperties {
  @Property(tries = 300)
  void neverMoreThanTheBounds(@ForAll @Size(max = 200) List<@IntRange(min = -4, max = 4) Integer> steps,
      @ForAll @IntRange(min = 1, max = 3) int perKey) {
    KeyedQuota<Integer> q = new KeyedQuota<>(6, perKey);
    Map<Integer, Integer> mine = new HashMap<>();
    for (int step : steps) {
      int key = Math.abs(step);
      if (step >= 0) {
        boolean room = mine.values().stream().mapToInt(Integer::intValue).sum() < 6
            && mine.getOrDefault(key, 0) < perKey;
        assertEquals(room, q.take(key), "take " + key + " with " + mine);
        if (room) {
          mine.merge(key, 1, Integer::sum);
        }
      } else {
        q.give(key);
        mine.computeIfPresent(key, (k, v) -> v == 1 ? null : v - 1);
      }
      int inAll = mine.values().stream().mapToInt(Integer::intValue).sum();
      assertEquals(inAll, q.held());
      assertEquals(inAll >= 6, q.full());
      assertTrue(mine.values().stream().allMatch(v -> v <= perKey));
    }
  }
}
