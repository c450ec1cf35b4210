package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.node.gateway.Gateway;
import org.dialtone.node.metrics.NodeMeters;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /records}, the records browser agents sign themselves, mounted as attacks over real HTTP: the gateway
 * passes on exactly what its publisher signed and refuses the rest with a clear error, counted. Each case speaks
 * from its own loopback address, as a different browser would.
 */
class GatewayRecordsTest {
  static final DialNumber ROOM = DialNumber.parse("744-196884-61");
  static LocalTestnet net;
  static Gateway gateway;
  static NumberResolver reader;

  @BeforeAll
  static void start() throws Exception {
    net = LocalTestnet.start(5);
    DhtNode node = net.node(0);
    NumberResolver gw = NumberResolver.create(node, Identity.generate(), AgentProfile.named("gw"));
    gateway = Gateway.start(net.vertx(), node, gw, NodeMeters.create(node.metrics(), node::isReady), "127.0.0.1", 0)
        .get(10, TimeUnit.SECONDS);
    reader = NumberResolver.create(net.addClient(), Identity.generate(), AgentProfile.named("reader"));
  }

  @AfterAll
  static void stop() {
    try {
      reader.closeAsync().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
      gateway.close();
    } finally {
      net.close();
    }
  }

  static SignedRecord presence(Identity who, String name, DialNumber on, RecordKind kind, NodeId key, long ttl) {
    long now = System.currentTimeMillis() / 1000;
    byte[] payload = RecordCodec.encodeAgent(new AgentInfo(who.publicKey(), name, on, Role.MEMBER, List.of(),
        List.of(), List.of(), List.of(), 0, 0));
    return SignedRecord.sign(who, key, kind.code(), System.currentTimeMillis(), now + ttl, payload);
  }

  static SignedRecord presence(Identity who, String name) {
    return presence(who, name, ROOM, RecordKind.PRESENCE, ROOM.key(), 120);
  }

  /** An HTTP/1.1 POST from {@code localIp}; returns the status line's code and the body. */
  static String[] post(String localIp, String path, String body) throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(localIp, 0));
      s.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
      s.setSoTimeout(30_000);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      OutputStream out = s.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
          + "content-length: " + bytes.length + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String status = response.substring(9, 12);
      return new String[] {status, response.substring(response.indexOf("\r\n\r\n") + 4)};
    }
  }

  static List<String> namesOnTheRoom() throws Exception {
    return reader.discover(ROOM).get(30, TimeUnit.SECONDS).agents().stream().map(AgentInfo::name).toList();
  }

  @Test
  void aRecordItsPublisherSignedIsStoredAndSeenByOthers() throws Exception {
    Identity bea = Identity.generate();
    String[] r = post("127.0.1.1", "/records", RecordCodec.toJson(presence(bea, "Bea")));
    assertEquals("202", r[0], r[1]);
    assertTrue(r[1].contains("\"stored\""), r[1]);
    assertTrue(namesOnTheRoom().contains("Bea"), "a Java agent sees the browser's presence");
  }

  @Test
  void forgedAlteredAndMisdirectedRecordsAreRefusedAndNothingIsStored() throws Exception {
    Identity mallory = Identity.generate();
    Identity victim = Identity.generate();
    // a signature bit flipped
    SignedRecord honest = presence(mallory, "Forged");
    String flipped = RecordCodec.toJson(SignedRecord.of(honest.key(), honest.publisher(), honest.kind(), honest.seq(),
        honest.expiresAtSeconds(), honest.payload(), flip(honest.signature())));
    assertEquals("403", post("127.0.2.1", "/records", flipped)[0]);
    // the victim's key as publisher, signed by mallory: a record for someone else's key
    SignedRecord mine = presence(mallory, "Victim");
    String impersonation = RecordCodec.toJson(SignedRecord.of(mine.key(), victim.publicKey(), mine.kind(), mine.seq(),
        mine.expiresAtSeconds(), mine.payload(), mine.signature()));
    String[] r = post("127.0.2.2", "/records", impersonation);
    assertEquals("403", r[0], r[1]);
    assertTrue(r[1].contains("BAD_SIGNATURE"), r[1]);
    // validly signed, but filed under another number's key than the one it names
    r = post("127.0.2.3", "/records", RecordCodec.toJson(presence(mallory, "Elsewhere", ROOM, RecordKind.PRESENCE,
        DialNumber.parse("744-196884-62").key(), 120)));
    assertEquals("400", r[0], r[1]);
    assertTrue(r[1].contains("BAD_PAYLOAD"), r[1]);
    // a kind a browser does not publish
    r = post("127.0.2.4", "/records", RecordCodec.toJson(presence(mallory, "Host", ROOM, RecordKind.HOST,
        ROOM.key(), 120)));
    assertTrue(r[1].contains("KIND_NOT_ALLOWED"), r[1]);
    // living a day
    r = post("127.0.2.5", "/records", RecordCodec.toJson(presence(mallory, "Forever", ROOM, RecordKind.PRESENCE,
        ROOM.key(), 86_400)));
    assertTrue(r[1].contains("BAD_EXPIRY"), r[1]);
    // not JSON, and too big
    assertTrue(post("127.0.2.6", "/records", "{\"kind\": 1}")[1].contains("NOT_A_RECORD"));
    String[] big = post("127.0.2.7", "/records", "x".repeat(10_000));
    assertEquals("413", big[0], big[1]);
    // nothing of these reached the DHT
    List<String> names = namesOnTheRoom();
    for (String n : List.of("Forged", "Victim", "Elsewhere", "Host", "Forever")) {
      assertFalse(names.contains(n), n + " was stored: " + names);
    }
    String metrics = new String(new java.net.URL("http://127.0.0.1:" + gateway.port() + "/metrics").openStream()
        .readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(metrics.contains("dialtone_gateway_records_total{result=\"bad_signature\"} 2.0"), metrics);
  }

  @Test
  void aFloodFromOnePageIsCutToItsRateWhileAnotherPageIsServed() throws Exception {
    Identity flooder = Identity.generate();
    int accepted = 0;
    int limited = 0;
    for (int i = 0; i < 30; i++) {
      String[] r = post("127.0.3.1", "/records", RecordCodec.toJson(presence(flooder, "Flood " + i)));
      if (r[0].equals("202")) {
        accepted++;
      } else if (r[0].equals("429") && r[1].contains("RATE_LIMITED")) {
        limited++;
      }
    }
    System.out.printf("browser records: a flood of 30 from one /24 got %d through and %d refused 429%n", accepted,
        limited);
    assertTrue(accepted <= 10 + 5, accepted + " accepted");
    assertTrue(limited >= 15, limited + " refused");
    assertEquals("202", post("127.0.4.1", "/records", RecordCodec.toJson(presence(Identity.generate(), "Other")))[0],
        "another network's page is unaffected");
  }

  static byte[] flip(byte[] b) {
    byte[] c = b.clone();
    c[0] ^= 1;
    return c;
  }
}
