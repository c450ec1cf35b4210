package org.dialtone.dht.node;

import java.util.List;
import java.util.Objects;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;

/**
 * Cuts a NODES answer into pages that fit a byte budget: the full datagram for a proven address, less for an unproven
 * one (three times what it sent, see {@link org.dialtone.dht.rpc.AmplificationGuard}). Twenty IPv6 contacts with a
 * challenge signature may not fit even a full datagram; instead of leaving the farthest out, the answer says how many
 * there are ({@code total}) and where this page starts ({@code offset}), and the requester asks for the rest.
 *
 * <p>Pure: the same list, offset and budget always give the same page, so pages fetched one after another are
 * disjoint and together make the whole list, as long as the list does not change in between (the closest contacts of
 * a table change slowly; a requester that sees a change gets at worst a duplicate or a gap, never more than
 * {@code total}).
 */
public final class NodePages {
  /** Builds the NODES message of one page: its contacts, where it starts, and how many the whole list holds. */
  @FunctionalInterface
  public interface Builder {
    Message.Nodes build(List<NodeInfo> page, int offset, int total);
  }

  private NodePages() {}

  /**
   * The page of {@code all} that starts at {@code offset} (past the end: an empty last page) with as many contacts as
   * fit in {@code budget} bytes. The page is empty when not even one fits; then it may still exceed the budget (the
   * caller's guard withholds it).
   */
  public static Message.Nodes page(List<NodeInfo> all, int offset, int budget, Builder build) {
    Objects.requireNonNull(all, "all");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative");
    }
    int from = Math.min(offset, all.size());
    int total = all.size();
    List<NodeInfo> rest = all.subList(from, total);
    Message.Nodes whole = build.build(rest, from, total);
    if (rest.isEmpty() || MessageCodec.encodedSize(whole) <= budget) {
      return whole;
    }
    // It does not fit: size the page from the bare message and each entry's known size, then check it once.
    int size = MessageCodec.encodedSize(build.build(List.of(), from, total));
    int n = 0;
    int entries = 0;
    while (n < rest.size()) {
      int grown = entries + entryBytes(rest.get(n));
      if (size + listHeaderBytes(n + 1) + grown > budget) {
        break;
      }
      entries = grown;
      n++;
    }
    Message.Nodes page = build.build(rest.subList(0, n), from, total);
    while (n > 0 && MessageCodec.encodedSize(page) > budget) { // the arithmetic above is exact; this only guards it
      n--;
      page = build.build(rest.subList(0, n), from, total);
    }
    return page;
  }

  // One node entry: [id, ip, port] = array head, 32-byte string (2-byte head), 4- or 16-byte string, port.
  private static int entryBytes(NodeInfo n) {
    int port = n.address().port();
    return 1 + 2 + 32 + 1 + n.address().ipBytes().length + (port < 24 ? 1 : port < 256 ? 2 : 3);
  }

  // The key of the nodes list and its array head, for a list of n entries (n > 0; the list is absent when empty).
  private static int listHeaderBytes(int n) {
    return 1 + (n < 24 ? 1 : 2);
  }
}
