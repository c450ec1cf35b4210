package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code dialtone} command as people run it: real processes of the shaded jar ({@code java -jar dialtone.jar}),
 * against a node that is itself a process of the jar, on loopback. Help, exit codes, profiles, config typos, the
 * gateway's JSON errors, status, a clean stop by SIGTERM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  @TempDir static Path home;
  private static Process node;
  private static Path nodeLog;
  private static int udpPort;
  private static int httpPort;
  private static final List<Process> started = new ArrayList<>();

  record Result(int exit, String out, String err) {
    /** Standard error without Vert.x's blocked-thread warnings, which a loaded test machine causes. */
    List<String> errLines() {
      return err.strip().lines().filter(l -> !l.contains("logger=io.vertx.core.impl.BlockedThreadChecker"))
          .toList();
    }

    String oneErrorLine() {
      List<String> lines = errLines();
      assertEquals(1, lines.size(), "one line on stderr, got:\n" + err + "\nstdout:\n" + out);
      assertTrue(lines.get(0).startsWith("dialtone: "), lines.get(0));
      return lines.get(0);
    }
  }

  static Path jar() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    Path jar = dir.resolve("target/dialtone.jar");
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(jar + " is missing: this test runs in 'mvn verify' after 'package' builds it");
    }
    return jar;
  }

  private static ProcessBuilder builder(Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("DIALTONE_"));
    pb.environment().put("DIALTONE_NO_LAN", "true"); // no mDNS onto the machine's own network
    pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
    pb.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
    pb.environment().putAll(env);
    return pb;
  }

  static Result run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  static Result run(Map<String, String> env, String... args) throws Exception {
    Process p = builder(env, args).start();
    try {
      p.getOutputStream().close();
      var out = p.getInputStream();
      var err = p.getErrorStream();
      // Read both streams while waiting, so a chatty process never blocks on a full pipe.
      var outText = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(out));
      var errText = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(err));
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        throw new AssertionError("dialtone " + String.join(" ", args) + " did not finish within 120 s");
      }
      return new Result(p.exitValue(), outText.get(10, TimeUnit.SECONDS), errText.get(10, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static String seed() {
    return "127.0.0.1:" + udpPort;
  }

  @BeforeAll
  static void startNode() throws Exception {
    nodeLog = home.resolve("node.log");
    node = builder(Map.of(), "node", "--port", "0", "--http-port", "0", "--data-dir", home.resolve("n1").toString(),
        "--log-format", "json").redirectError(nodeLog.toFile()).start();
    started.add(node);
    BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    String banner = out.readLine();
    Matcher m = Pattern.compile("udp [0-9.]+:(\\d+) http [0-9.]+:(\\d+)").matcher(String.valueOf(banner));
    assertTrue(m.find(), "banner: " + banner + "\nlog:\n" + Files.readString(nodeLog));
    udpPort = Integer.parseInt(m.group(1));
    httpPort = Integer.parseInt(m.group(2));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (get("/health").statusCode() != 200) {
      assertTrue(System.nanoTime() < deadline, "the node did not become ready within 60 s");
      node.waitFor(200, TimeUnit.MILLISECONDS);
    }
  }

  @AfterAll
  static void stopAll() throws Exception {
    for (Process p : started) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(1)
  void everyCommandHasHelp() throws Exception {
    Result top = run("--help");
    assertEquals(0, top.exit(), top.err());
    for (String cmd : List.of("node", "status", "demo", "dial", "announce", "host", "share", "find", "numbers",
        "request", "watch", "connect", "join")) {
      assertTrue(top.out().contains(cmd), cmd + " missing in\n" + top.out());
      Result r = run(cmd, "--help");
      assertEquals(0, r.exit(), cmd + " --help: " + r.err());
      assertTrue(r.out().startsWith("Usage: dialtone " + cmd), r.out());
      assertTrue(r.errLines().isEmpty(), r.err());
    }
    Result host = run("host", "-h");
    // --endpoint is optional: without it, host serves chat and echo itself, directly or through a relay
    assertTrue(host.out().contains("--endpoint=URL") && host.out().contains("--relay=ws://HOST:PORT"), host.out());
  }

  @Test
  @Order(2)
  void badInputIsOneLineAndExitCode2() throws Exception {
    Map<String, String> expected = new HashMap<>();
    expected.put("node --bogus", "see: dialtone node --help");
    expected.put("node --prot 7458", "did you mean --port?");
    expected.put("dial 744-196884-1000", "extended space");
    expected.put("dial", "Missing required parameter");
    expected.put("node --log-level verbose", "--log-level 'verbose' is not one of");
    expected.put("dial 744-196884-23 --log-format xml", "--log-format 'xml'");
    expected.put("find --interest Crypto", "'Crypto' is not a lowercase word");
    expected.put("host 744-196884-53 --services games", "--endpoint");
    expected.put("request zz", "not an agent key");
    expected.put("numbers", "--service NAME or --named");
    expected.put("join 744-196884-90 --once", "--once does not apply");
    expected.put("join 744-196884-90 --max-peers 0", "--max-peers 0 is not 1..1024");
    expected.put("dial 744-196884-23 --as Bad!", "profile 'Bad!'");
    expected.put("dial 744-196884-23 --bootstrap boot.example.org", "is not host:port");
    for (var e : expected.entrySet()) {
      Result r = run(e.getKey().split(" "));
      assertEquals(2, r.exit(), e.getKey() + ": " + r.err() + r.out());
      String line = r.oneErrorLine();
      assertTrue(line.contains(e.getValue()), e.getKey() + ": " + line);
      assertTrue(r.out().isEmpty(), e.getKey() + ": " + r.out());
    }
    Result longNote = run("share", "744-196884-47", "--as", "noter", "--once", "--note", "x".repeat(2000),
        "--bootstrap", seed());
    assertEquals(2, longNote.exit(), longNote.err());
    assertTrue(longNote.oneErrorLine().contains("BAD_INPUT") && longNote.err().contains("at most 200"),
        longNote.err());
  }

  @Test
  @Order(3)
  void mistypedConfigKeysAndVariablesAreErrorsNamingTheNearestKey() throws Exception {
    Path file = home.resolve("node.properties");
    Files.writeString(file, "prot=7458\n");
    Result r = run("node", "--config", file.toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.oneErrorLine().contains("unknown key 'prot' (did you mean 'port'?)"), r.err());

    Result env = run(Map.of("DIALTONE_HTTP_PROT", "8441"), "numbers", "--named");
    assertEquals(2, env.exit(), env.err());
    assertTrue(env.oneErrorLine().contains("DIALTONE_HTTP_PROT (did you mean DIALTONE_HTTP_PORT?)"), env.err());

    Result fine = run(Map.of("DIALTONE_PROFILE", "viaenv", "DIALTONE_BOOTSTRAP", seed()), "numbers", "--named");
    assertEquals(0, fine.exit(), fine.err());
  }

  @Test
  @Order(4)
  void namedNumbersAreListed() throws Exception {
    Result r = run("numbers", "--named");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("744-196884-70") && r.out().contains("Moonshine")
        && r.out().contains("744-196884-300") && r.out().contains("Games") && r.out().contains("extended space"),
        r.out());
    JsonNode json = JSON.readTree(run("numbers", "--named", "--json").out());
    assertEquals(74, json.size(), json.toString()); // 0..70 and 100, 200, 300
  }

  @Test
  @Order(5)
  void profilesPublishSideBySideAndOneProfileNeverTwice() throws Exception {
    Process alice = builder(Map.of(), "announce", "744-196884-23", "--as", "alice", "--name", "Alice",
        "--bootstrap", seed(), "--timeout", "60").start();
    started.add(alice);
    BufferedReader out = new BufferedReader(new InputStreamReader(alice.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    assertTrue(String.valueOf(first).startsWith("announced on 744-196884-23 as Alice"), first);

    Result bob = run("announce", "744-196884-23", "--as", "bob", "--name", "Bob", "--once", "--bootstrap", seed(),
        "--timeout", "60");
    assertEquals(0, bob.exit(), bob.err());
    Result busy = run("host", "744-196884-53", "--as", "alice", "--services", "games", "--endpoint",
        "ws://127.0.0.1:8053", "--once", "--bootstrap", seed());
    assertEquals(1, busy.exit(), busy.err());
    assertTrue(busy.oneErrorLine().contains("PROFILE_BUSY") && busy.err().contains("announce 744-196884-23"),
        busy.err());

    Result dial = run("dial", "744-196884-23", "--bootstrap", seed(), "--json", "--timeout", "60");
    assertEquals(0, dial.exit(), dial.err());
    JsonNode roster = JSON.readTree(dial.out());
    assertTrue(roster.get("agents").toString().contains("Alice") && roster.get("agents").toString().contains("Bob"),
        roster.toString());
    String aliceKey = null;
    for (JsonNode a : roster.get("roster")) {
      if (a.get("name").asText().equals("Alice")) {
        aliceKey = a.get("agent").asText();
      }
    }
    assertTrue(aliceKey != null, roster.toString());

    // request by the 8 hex digits the text output shows, as dial printed them
    Result req = run("request", aliceKey.substring(0, 8), "--bootstrap", seed(), "--timeout", "60");
    assertEquals(0, req.exit(), req.err());
    assertTrue(req.out().contains(aliceKey) && req.out().contains("744-196884-23"), req.out());
    Result unknown = run("request", "0000abcd", "--bootstrap", seed());
    assertEquals(2, unknown.exit(), unknown.err());
    assertTrue(unknown.oneErrorLine().contains("UNKNOWN_AGENT"), unknown.err());

    String nobody = org.dialtone.dht.crypto.Identity.generate().publicKey().toHex();
    Result notFound = run("request", nobody, "--bootstrap", seed(), "--timeout", "60");
    assertEquals(1, notFound.exit(), notFound.err());
    String line = notFound.oneErrorLine();
    assertTrue(line.startsWith("dialtone: NOT_FOUND: agent " + nobody) && !line.contains("NOT_FOUND: NOT_FOUND"),
        line);

    alice.destroy(); // SIGTERM: leaves with a tombstone and exits 0
    assertTrue(alice.waitFor(60, TimeUnit.SECONDS), "announce did not stop on SIGTERM");
    assertEquals(0, alice.exitValue(), "a clean stop by SIGTERM exits 0");

    // the profile remembers its name: no --name this time
    Result again = run("announce", "744-196884-29", "--as", "alice", "--once", "--json", "--bootstrap", seed(),
        "--timeout", "60");
    assertEquals(0, again.exit(), again.err());
    assertEquals("Alice", JSON.readTree(again.out()).get("name").asText());
    assertEquals(aliceKey, JSON.readTree(again.out()).get("agent").asText());

    // a second --once command of the profile publishes beside the first, not over it: the directory entry (one per
    // agent) lists both numbers
    Result host = run("host", "744-196884-53", "--as", "alice", "--services", "games", "--endpoint",
        "ws://127.0.0.1:8053", "--once", "--bootstrap", seed(), "--timeout", "60");
    assertEquals(0, host.exit(), host.err());
    Result both = run("request", aliceKey, "--json", "--bootstrap", seed(), "--timeout", "60");
    assertEquals(0, both.exit(), both.err());
    String numbers = JSON.readTree(both.out()).get("numbers").toString();
    assertTrue(numbers.contains("744-196884-29") && numbers.contains("744-196884-53"), both.out());
  }

  @Test
  @Order(6)
  void filesystemErrorsSayWhyAndReadingWorksWithoutAWritableHome() throws Exception {
    Path aFile = Files.writeString(home.resolve("not-a-dir"), "x");
    Result r = run("node", "--port", "0", "--http-port", "-1", "--data-dir", aFile.toString());
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.oneErrorLine().contains("is a file, not a directory"), r.err());

    // a config home below a file can hold no key: a read-only command still works, on a temporary key
    Result dial = run(Map.of("XDG_CONFIG_HOME", aFile.resolve("config").toString()), "dial", "744-196884-23",
        "--bootstrap", seed(), "--timeout", "60");
    assertEquals(0, dial.exit(), dial.err());
    assertTrue(dial.errLines().size() == 1 && dial.errLines().get(0).startsWith("dialtone: notice: using a "
        + "temporary key for this command (") && dial.err().contains("not a directory"), dial.err());
    Result announce = run(Map.of("XDG_CONFIG_HOME", aFile.resolve("config").toString()), "announce",
        "744-196884-23", "--once", "--bootstrap", seed());
    assertEquals(1, announce.exit(), announce.err());
    assertTrue(announce.oneErrorLine().contains("not a directory"), announce.err());
  }

  @Test
  @Order(7)
  void gatewayErrorsAreJsonWithAStableCode() throws Exception {
    assertJsonError(get("/dial/" + "a".repeat(600)), 414, "URI_TOO_LONG");
    assertJsonError(get("/dial/" + "a".repeat(5000)), 414, "URI_TOO_LONG");
    assertRawJsonError("GET /dial/%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400, "BAD_REQUEST");
    assertJsonError(get("/discover?interest=Crypto"), 400, "BAD_REQUEST");
    assertJsonError(get("/dial/744-196884-1000"), 400, "INVALID_NUMBER");
    assertJsonError(get("/nope"), 404, "NOT_FOUND");
    assertJsonError(get("/watch/744-196884-9"), 426, "UPGRADE_REQUIRED");
    assertJsonError(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/dial/23"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString()), 405,
        "METHOD_NOT_ALLOWED");
    assertRawJsonError("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n", 431,
        "HEADERS_TOO_LARGE");
    assertRawJsonError("GET /watch/744-196884-1000 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
        + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        400, "INVALID_NUMBER");
    assertRawJsonError("GET /dial/23 HTTP/1.1\r\nHost: x\r\nbroken header line\r\n\r\n", 400, "BAD_REQUEST");
  }

  private static void assertJsonError(HttpResponse<String> r, int status, String code) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), r.headers()
        .toString());
    JsonNode body = JSON.readTree(r.body());
    assertEquals(code, body.get("error").asText(), r.body());
    assertTrue(!body.get("message").asText().isBlank(), r.body());
  }

  /** What the HTTP client cannot send (oversized or broken headers, a raw upgrade), over a socket. */
  private static void assertRawJsonError(String request, int status, String code) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), httpPort)) {
      s.setSoTimeout(30_000);
      OutputStream o = s.getOutputStream();
      o.write(request.getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String statusLine = in.readLine();
      assertTrue(String.valueOf(statusLine).startsWith("HTTP/1.1 " + status), statusLine);
      String line;
      int length = -1;
      boolean json = false;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        String lower = line.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).strip());
        }
        json |= lower.startsWith("content-type: application/json");
      }
      assertTrue(json && length > 0, "a JSON body for " + statusLine);
      char[] body = new char[length];
      int read = 0;
      while (read < length) {
        int n = in.read(body, read, length - read);
        if (n < 0) {
          break;
        }
        read += n;
      }
      String text = new String(body, 0, read);
      assertEquals(code, JSON.readTree(text).get("error").asText(), text);
      assertTrue(!text.contains("URLDecoder") && !text.contains("Exception"), "no Java internals: " + text);
    }
  }

  @Test
  @Order(8)
  void statusShowsTheRunningNode() throws Exception {
    Result text = run("status", "--node", "127.0.0.1:" + httpPort);
    assertEquals(0, text.exit(), text.err());
    assertTrue(text.out().startsWith("node ") && text.out().contains("routing") && text.out().contains("records"),
        text.out());
    JsonNode json = JSON.readTree(run("status", "--node", "127.0.0.1:" + httpPort, "--json").out());
    assertEquals("127.0.0.1:" + udpPort, json.get("udp").asText());
    assertEquals(64, json.get("id").asText().length());
    assertTrue(json.has("routingTable") && json.has("records") && json.has("peers"), json.toString());

    int dead;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    Result none = run("status", "--node", "127.0.0.1:" + dead);
    assertEquals(1, none.exit(), none.err());
    assertTrue(none.oneErrorLine().contains("NOT_RUNNING"), none.err());
  }

  @Test
  @Order(99)
  void aNodeStopsCleanlyOnSigtermWithExitCode0AndLogsOneJsonObjectPerLine() throws Exception {
    node.destroy(); // SIGTERM
    assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node did not stop on SIGTERM");
    assertEquals(0, node.exitValue(), "a clean stop by SIGTERM exits 0");
    List<String> lines = Files.readAllLines(nodeLog);
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"node.stopped\"")), String.join("\n", lines));
    for (String l : lines) {
      JsonNode o = JSON.readTree(l); // every line is one JSON object: no stack traces, no stray text
      assertTrue(o.has("ts") && o.has("level") && (o.has("event") || o.has("msg")), l);
    }
  }
}
