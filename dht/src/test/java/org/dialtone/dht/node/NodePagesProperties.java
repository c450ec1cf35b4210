package org.dialtone.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;

/**
 * The paging invariant of FIND_NODE answers ({@link NodePages}): read page after page from offset 0, each from where
 * the last ended, the pages together are the whole list in order (the k closest), with no contact twice; every page
 * fits its budget (a full datagram, or what an unproven address may be sent) and holds at least one contact while any
 * fits; and a page decodes to what was paged.
 */
class NodePagesProperties {
  private static final PublicKey KEY = Identity.generate().publicKey();

  @Property(tries = 300)
  void pagesTogetherAreTheListEachWithinItsBudget(
      @ForAll @IntRange(min = 0, max = 20) int contacts,
      @ForAll @IntRange(min = 0, max = 100) int ipv4Percent,
      @ForAll @IntRange(min = 150, max = Message.MAX_DATAGRAM_BYTES) int budget,
      @ForAll boolean signed,
      @ForAll long seed) throws Exception {
    Random random = new Random(seed);
    List<NodeInfo> all = new ArrayList<>();
    for (int i = 0; i < contacts; i++) {
      byte[] ip = new byte[random.nextInt(100) < ipv4Percent ? 4 : 16];
      random.nextBytes(ip);
      all.add(new NodeInfo(NodeId.random(random), PeerAddress.of(ip, random.nextInt(65536))));
    }
    Optional<Blob> proof = signed ? Optional.of(Blob.of(new byte[64])) : Optional.empty();
    Blob token = Blob.of(new byte[8]);
    List<NodeInfo> read = new ArrayList<>();
    int offset = 0;
    int pages = 0;
    while (true) {
      Message.Nodes page = NodePages.page(all, offset, budget,
          (n, o, total) -> new Message.Nodes(Long.MIN_VALUE, KEY, proof, n, token, o, total));
      pages++;
      byte[] bytes = MessageCodec.encode(page);
      assertEquals(page, MessageCodec.decode(bytes));
      assertEquals(all.size(), page.total(), "total is the whole list");
      assertEquals(offset, page.offset());
      if (!page.nodes().isEmpty()) {
        assertTrue(bytes.length <= budget, bytes.length + " bytes over a budget of " + budget);
      }
      read.addAll(page.nodes());
      if (!page.hasMore()) {
        break;
      }
      if (page.nodes().isEmpty()) { // not one contact fits this budget: a requester stops here
        int oneEntry = MessageCodec.encodedSize(new Message.Nodes(Long.MIN_VALUE, KEY, proof,
            all.subList(offset, offset + 1), token, offset, all.size()));
        assertTrue(oneEntry > budget, "an empty page although one contact fits: " + oneEntry + " <= " + budget);
        return;
      }
      offset += page.nodes().size();
      assertTrue(pages <= contacts, "every page but the last makes progress");
    }
    assertEquals(all, read, "the pages together are the list, in order");
    assertEquals(all.size(), new HashSet<>(read).size(), "no contact twice");
    if (budget == Message.MAX_DATAGRAM_BYTES) {
      assertTrue(pages <= 2, "twenty contacts of any family take at most two full datagrams, took " + pages);
    }
  }
}
