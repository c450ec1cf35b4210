package org.dialtone.node.cli;

import java.util.ArrayList;
import java.util.List;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.number.NamedNumbers;

/** What {@code numbers --named} lists: the 71 primary shards, then the named numbers past them (100, 200, 300). */
public final class NamedList {
  private NamedList() {}

  public static List<DialNumber> numbers() {
    List<DialNumber> out = new ArrayList<>();
    for (int shard = 0; shard <= DialNumber.LAST_PRIMARY_SHARD; shard++) {
      out.add(DialNumber.primary(shard));
    }
    NamedNumbers.all().values().stream().filter(n -> n.shard() > DialNumber.LAST_PRIMARY_SHARD).sorted()
        .forEach(out::add);
    return List.copyOf(out);
  }
}
