package org.dialtone.dht.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.junit.jupiter.api.Test;

/**
 * The bytes on the wire do not change: one message of every type, encoded, against the bytes the codec wrote when
 * this test was made (before the codec was restructured), and the worked examples in {@code docs/protocol.md}, read
 * from the document itself.
 */
class WireGoldenTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Identity IDENTITY = Identity.fromSeed(
      HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  private static final PublicKey KEY = IDENTITY.publicKey();
  private static final NodeId TARGET = NodeId.of(HEX.parseHex("00112233445566778899aabbccddeeff"
      + "00112233445566778899aabbccddeeff"));
  private static final Blob CHALLENGE = Blob.of(HEX.parseHex("000102030405060708090a0b0c0d0e0f"));
  private static final Blob SIGNATURE = Blob.of(new byte[64]);
  private static final Blob TOKEN = Blob.of(HEX.parseHex("0a0b0c0d"));
  private static final SignedRecord RECORD =
      SignedRecord.sign(IDENTITY, TARGET, 3, 1_767_225_600_000L, 1_767_229_200L, "hi".getBytes());
  private static final List<NodeInfo> NODES = List.of(
      new NodeInfo(TARGET, PeerAddress.parse("192.0.2.7:7440")),
      new NodeInfo(IDENTITY.nodeId(), PeerAddress.parse("[2001:db8::1]:65535")));

  /** What the codec wrote for {@link #samples()} before it was restructured (hex). */
  /** A SIGNAL's envelope: its bytes do not matter to the DHT, only their number (64 here, the least). */
  private static final byte[] GOLDEN_ENVELOPE = java.util.Arrays.copyOf(HEX.parseHex("4454533101020000"), 64);
  private static final Map<String, String> GOLDEN = new LinkedHashMap<>();

  static {
    GOLDEN.put("PING",
        "a5000101010221035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a045000010203"
        + "0405060708090a0b0c0d0e0f");
    GOLDEN.put("PONG",
        "a600010102021b0000010000000000035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707"
        + "511a05584000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        + "0000000000000000000000000000000000000000000d8244c0000207191d10");
    GOLDEN.put("FIND_NODE",
        "a40001010302181806582000112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    GOLDEN.put("NODES",
        "a6000101040218ff035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a0782835820"
        + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff44c0000207191d1083582021fe31dfa1"
        + "54a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b95020010db800000000000000000000000119ffff08"
        + "440a0b0c0d");
    GOLDEN.put("FIND_VALUE",
        "a80001010502190100035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a04500001"
        + "02030405060708090a0b0c0d0e0f06582000112233445566778899aabbccddeeff00112233445566778899aabbccddee"
        + "ff0b18280cf5");
    GOLDEN.put("VALUES",
        "aa00010106021a00010000035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a0558"
        + "400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        + "0000000000000000000000000000000000078283582000112233445566778899aabbccddeeff00112233445566778899"
        + "aabbccddeeff44c0000207191d1083582021fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721"
        + "b95020010db800000000000000000000000119ffff08440a0b0c0d0981a700582000112233445566778899aabbccddee"
        + "ff00112233445566778899aabbccddeeff015820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68"
        + "f707511a0203031b0000019b76daa800041a6955c7100542686906584076b551062497fc143b6418b2fd530117081907"
        + "06aa71afa943ec922dc7598d054cafeecc857ddda330da8e1a50add28cb4a3098cb9f613d6d1ff407f50762c0d0a1846"
        + "0b03");
    GOLDEN.put("STORE",
        "a600010107021b7fffffffffffffff035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707"
        + "511a08440a0b0c0d10a700582000112233445566778899aabbccddeeff00112233445566778899aabbccddeeff015820"
        + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a0203031b0000019b76daa800041a6955"
        + "c7100542686906584076b551062497fc143b6418b2fd53011708190706aa71afa943ec922dc7598d054cafeecc857ddd"
        + "a330da8e1a50add28cb4a3098cb9f613d6d1ff407f50762c0d");
    GOLDEN.put("STORE_ACK",
        "a400010108023b7fffffffffffffff035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707"
        + "511a");
    GOLDEN.put("ERROR",
        "a6000101090209035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a0e182a0f6d73"
        + "65712033203c3d203420c3a9");
    GOLDEN.put("SUBSCRIBE",
        "a70001010a020a035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a065820001122"
        + "33445566778899aabbccddeeff00112233445566778899aabbccddeeff08440a0b0c0d11190258");
    GOLDEN.put("SUBSCRIBED",
        "a50001010b020b035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a111878");
    GOLDEN.put("NOTIFY",
        "a50001010c020c035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a10a700582000"
        + "112233445566778899aabbccddeeff00112233445566778899aabbccddeeff015820d75a980182b10ab7d54bfed3c964"
        + "073a0ee172f3daa62325af021a68f707511a0203031b0000019b76daa800041a6955c7100542686906584076b5510624"
        + "97fc143b6418b2fd53011708190706aa71afa943ec922dc7598d054cafeecc857ddda330da8e1a50add28cb4a3098cb9"
        + "f613d6d1ff407f50762c0d");
    GOLDEN.put("NOTIFY_ACK",
        "a40001010d020d035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    GOLDEN.put("SIGNAL",
        "a50001010e020e035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a13584044545331"
        + "01020000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        + "0000000000000000000000");
    GOLDEN.put("SIGNAL_ACK",
        "a40001010f020f035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  }

  private static final String PAGED_NODES =
      "a8000101040218ff035820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a0782835820"
      + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff44c0000207191d1083582021fe31dfa1"
      + "54a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b95020010db800000000000000000000000119ffff08"
      + "440a0b0c0d0a140b07";

  /** One message of each type, in wire-type order. */
  static Map<String, Message> samples() {
    Map<String, Message> m = new LinkedHashMap<>();
    m.put("PING", new Message.Ping(-2, Optional.of(KEY), Optional.of(CHALLENGE)));
    m.put("PONG", new Message.Pong(1L << 40, KEY, Optional.of(SIGNATURE), PeerAddress.parse("192.0.2.7:7440")));
    m.put("FIND_NODE", new Message.FindNode(24, Optional.empty(), Optional.empty(), TARGET));
    m.put("NODES", new Message.Nodes(255, KEY, Optional.empty(), NODES, TOKEN));
    m.put("FIND_VALUE", new Message.FindValue(256, Optional.of(KEY), Optional.of(CHALLENGE), TARGET, 40, true));
    m.put("VALUES", new Message.Values(65536, KEY, Optional.of(SIGNATURE), NODES, TOKEN, List.of(RECORD), 3, 70));
    m.put("STORE", new Message.Store(Long.MAX_VALUE, Optional.of(KEY), TOKEN, RECORD));
    m.put("STORE_ACK", new Message.StoreAck(Long.MIN_VALUE, KEY, Optional.empty()));
    m.put("ERROR", new Message.ErrorReply(9, KEY, Optional.empty(), ErrorCode.SEQ_TOO_LOW, "seq 3 <= 4 \u00e9"));
    m.put("SUBSCRIBE", new Message.Subscribe(10, Optional.of(KEY), TARGET, TOKEN, 600));
    m.put("SUBSCRIBED", new Message.Subscribed(11, KEY, 120));
    m.put("NOTIFY", new Message.Notify(12, KEY, RECORD));
    m.put("NOTIFY_ACK", new Message.NotifyAck(13, KEY));
    m.put("SIGNAL", new Message.Signal(14, Optional.of(KEY), Blob.of(GOLDEN_ENVELOPE)));
    m.put("SIGNAL_ACK", new Message.SignalAck(15, KEY));
    return m;
  }

  @Test
  void everyTypeEncodesToTheSameBytesAsBeforeAndBack() throws DecodeException {
    Map<String, Message> samples = samples();
    assertEquals(GOLDEN.keySet(), samples.keySet());
    for (Map.Entry<String, Message> e : samples.entrySet()) {
      byte[] bytes = MessageCodec.encode(e.getValue());
      assertEquals(GOLDEN.get(e.getKey()), HEX.formatHex(bytes), e.getKey());
      assertEquals(e.getValue(), MessageCodec.decode(bytes), e.getKey());
    }
  }

  /**
   * FIND_NODE paging (docs/protocol.md, Paging): a request for a later page is the version-1 FIND_NODE plus key 11
   * (offset), and a page of a longer answer is the version-1 NODES plus keys 10 (total) and 11 (offset). A first
   * request and a whole answer are the version-1 bytes above, unchanged: a node that does not page reads both.
   */
  @Test
  void pagedFindNodeAndNodesAddOnlyOffsetAndTotal() throws DecodeException {
    Map<String, Message> paged = new LinkedHashMap<>();
    paged.put("FIND_NODE", new Message.FindNode(24, Optional.empty(), Optional.empty(), TARGET, 7));
    paged.put("NODES", new Message.Nodes(255, KEY, Optional.empty(), NODES, TOKEN, 7, 20));
    Map<String, String> golden = Map.of(
        "FIND_NODE", "a50001010302181806582000112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0b07",
        "NODES", PAGED_NODES);
    for (Map.Entry<String, Message> e : paged.entrySet()) {
      byte[] bytes = MessageCodec.encode(e.getValue());
      assertEquals(golden.get(e.getKey()), HEX.formatHex(bytes), e.getKey());
      assertEquals(e.getValue(), MessageCodec.decode(bytes), e.getKey());
      // The same as version 1's, with one or two more map entries at the end.
      String v1 = GOLDEN.get(e.getKey());
      String extra = e.getKey().equals("FIND_NODE") ? "0b07" : "0a140b07";
      int entries = Integer.parseInt(v1.substring(0, 2), 16) + extra.length() / 4;
      assertEquals(Integer.toHexString(entries) + v1.substring(2) + extra, HEX.formatHex(bytes), e.getKey());
    }
    // A version-1 NODES decodes as a whole answer: offset 0, total its size, nothing more to fetch.
    Message.Nodes whole = (Message.Nodes) MessageCodec.decode(HEX.parseHex(GOLDEN.get("NODES")));
    assertEquals(0, whole.offset());
    assertEquals(NODES.size(), whole.total());
    assertEquals(false, whole.hasMore());
  }

  @Test
  void theWorkedExamplesInProtocolMdMatchByteForByte() throws IOException, DecodeException {
    List<String> blocks = hexBlocksOf(Files.readString(protocolMd()));
    // The annotated PING, the same PING in one line, the annotated PONG.
    Message.Ping ping = new Message.Ping(0x0123456789abcdefL, Optional.of(KEY), Optional.of(CHALLENGE));
    Message.Pong pong = new Message.Pong(0x0123456789abcdefL, KEY,
        Optional.of(Blob.of(org.dialtone.dht.crypto.ChallengeProof.sign(IDENTITY, CHALLENGE.toArray()))),
        PeerAddress.parse("192.0.2.7:7440"));
    assertEquals(3, blocks.size(), "hex blocks under '## Example' in docs/protocol.md: " + blocks);
    assertEquals(blocks.get(0), HEX.formatHex(MessageCodec.encode(ping)));
    assertEquals(blocks.get(1), HEX.formatHex(MessageCodec.encode(ping)));
    assertEquals(blocks.get(2), HEX.formatHex(MessageCodec.encode(pong)));
    assertEquals(pong, MessageCodec.decode(HEX.parseHex(blocks.get(2))));
    // "The smallest message there is ... is 7 bytes: `a3 00 01 01 01 02 07`."
    Matcher smallest = Pattern.compile("is 7 bytes: `([0-9a-f ]+)`").matcher(Files.readString(protocolMd()));
    assertEquals(true, smallest.find(), "the 7-byte example is in docs/protocol.md");
    assertEquals(smallest.group(1).replace(" ", ""),
        HEX.formatHex(MessageCodec.encode(new Message.Ping(7, Optional.empty(), Optional.empty()))));
  }

  private static Path protocolMd() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path doc = p.resolve("docs/protocol.md");
      if (Files.isRegularFile(doc)) {
        return doc;
      }
    }
    throw new AssertionError("docs/protocol.md not found above " + Path.of("").toAbsolutePath());
  }

  /**
   * The hex in each fenced block of the "Example" section: on every line, the first run of space-separated byte
   * pairs before a wider gap; annotations (after the gap, or on lines of their own) are skipped.
   */
  private static List<String> hexBlocksOf(String doc) {
    String section = doc.substring(doc.indexOf("## Example"));
    section = section.substring(0, section.indexOf("\n## ", 1));
    List<String> blocks = new java.util.ArrayList<>();
    Matcher fence = Pattern.compile("```\\n(.*?)```", Pattern.DOTALL).matcher(section);
    while (fence.find()) {
      StringBuilder hex = new StringBuilder();
      for (String line : fence.group(1).split("\n")) {
        String first = line.strip().split("\\s{2,}")[0];
        if (first.matches("([0-9a-f]{2})+( ([0-9a-f]{2})+)*")) {
          hex.append(first.replace(" ", ""));
        }
      }
      blocks.add(hex.toString());
    }
    return blocks;
  }
}
