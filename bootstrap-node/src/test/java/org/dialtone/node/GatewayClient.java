package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;

/**
 * A test's client of a node's gateway over real HTTP and WebSockets, speaking from a loopback address of its choice
 * (the gateway's limits are per network): posts, a signal inbox that proves its key, and the metrics page.
 */
final class GatewayClient {
  private GatewayClient() {}

  /** An HTTP/1.1 POST of {@code body} to the gateway at {@code port}, from {@code localIp}: {status, body}. */
  static String[] post(int port, String localIp, String path, String type, byte[] body) throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(localIp, 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: " + type + "\r\n"
          + "content-length: " + body.length + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new String[] {response.substring(9, 12), response.substring(response.indexOf("\r\n\r\n") + 4)};
    }
  }

  /** An agent's open inbox: the text frames and the signals it received, and why it closed. */
  record Inbox(ClientWebSocket ws, LinkedBlockingQueue<String> texts, LinkedBlockingQueue<byte[]> signals,
      CompletableFuture<String> closed) {}

  /**
   * Opens {@code /signals/{key}} on the gateway at {@code port} from {@code localIp} and answers its challenge,
   * signed by {@code prover}; the gateway's verdict (ATTACHED or a refusal) is the next text frame.
   */
  static Inbox open(Vertx vertx, int port, String localIp, PublicKey key, Identity prover) throws Exception {
    var client = vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(localIp));
    LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<byte[]> signals = new LinkedBlockingQueue<>();
    CompletableFuture<String> closed = new CompletableFuture<>();
    ClientWebSocket ws = client.webSocket();
    ws.textMessageHandler(texts::add);
    ws.binaryMessageHandler(b -> signals.add(b.getBytes()));
    ws.closeHandler(v -> closed.complete(ws.closeReason()));
    ws.connect(port, "127.0.0.1", "/signals/" + key.toHex()).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    String challenge = texts.poll(10, TimeUnit.SECONDS);
    Matcher m = Pattern.compile("\"challenge\":\"([0-9a-f]{64})\"").matcher(String.valueOf(challenge));
    assertTrue(m.find(), "a challenge first: " + challenge);
    byte[] label = "dialtone-signal-session-v1".getBytes(StandardCharsets.US_ASCII);
    byte[] signed = ByteBuffer.allocate(label.length + 64).put(label).put(HexFormat.of().parseHex(m.group(1)))
        .put(key.toBytes()).array();
    ws.writeTextMessage("{\"type\":\"PROOF\",\"signature\":\"" + HexFormat.of().formatHex(prover.sign(signed))
        + "\"}");
    return new Inbox(ws, texts, signals, closed);
  }

  /** The value of the counter {@code name} with {@code result="<result>"} on the gateway's metrics page; 0 if none. */
  static double metric(int port, String name, String result) throws Exception {
    String text = new String(new java.net.URL("http://127.0.0.1:" + port + "/metrics").openStream()
        .readAllBytes(), StandardCharsets.UTF_8);
    return text.lines().filter(l -> l.startsWith(name + "{") && l.contains("result=\"" + result + "\""))
        .findFirst().map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
  }
}
