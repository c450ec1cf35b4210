package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.Roster;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user runs it: a separate JVM ({@code java -cp <test classpath> org.dialtone.node.Main}, what the
 * shaded jar runs), its output and its exit code.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalTestnet net;
  private static DhtNode client;
  private static NumberResolver present;
  @TempDir static Path home;

  record Result(int exit, String out, String err) {}

  @BeforeAll
  static void network() throws Exception {
    net = LocalTestnet.start(5);
    client = net.addClient();
    present = NumberResolver.create(client, Identity.generate(), AgentProfile.named("Agent A"));
    present.announce(DialNumber.parse("744-196884-23")).get(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void shutdown() {
    try {
      if (present != null) {
        present.closeAsync().orTimeout(3, TimeUnit.SECONDS).exceptionally(e -> null).join();
      }
      if (client != null) {
        client.close();
      }
    } finally {
      net.close();
    }
  }

  private static ProcessBuilder builder(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", cliClassPath(),
        "org.dialtone.node.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
    pb.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
    pb.environment().keySet().removeIf(k -> k.startsWith("DIALTONE_"));
    pb.environment().put("DIALTONE_NO_LAN", "true"); // no mDNS onto the machine's own network
    return pb;
  }

  /**
   * The test's class path without the test-only libraries the shipped jar does not contain: ArchUnit brings
   * slf4j-api, and with slf4j-api but no provider on the class path, Netty's logging prints three SLF4J warnings on
   * standard error, which the real {@code dialtone} never does.
   */
  private static String cliClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !Path.of(e).getFileName().toString().matches("(archunit|slf4j).*"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  static Result run(String... args) throws Exception {
    Process p = builder(args).start();
    try {
      p.getOutputStream().close();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        throw new AssertionError("dialtone " + String.join(" ", args) + " did not finish within 120 s");
      }
      return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }

  private static String seed() {
    return net.seeds().get(0).toString();
  }

  @Test
  void helpListsTheCommands() throws Exception {
    Result r = run("--help");
    assertEquals(0, r.exit(), r.err());
    for (String cmd : List.of("node", "demo", "dial", "announce", "host", "share", "find", "numbers", "request",
        "watch")) {
      assertTrue(r.out().contains(cmd), cmd + " missing in\n" + r.out());
    }
  }

  @Test
  void aBadNumberIsOneLineAndExitCode2() throws Exception {
    long start = System.nanoTime();
    Result r = run("dial", "744-196884-1000", "--bootstrap", seed());
    assertEquals(2, r.exit(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("INVALID_NUMBER") && r.err().contains("shard 1000"), r.err());
    assertTrue(r.out().isEmpty(), r.out());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30));
  }

  @Test
  void anUnreachableBootstrapPeerFailsClearlyAndQuickly() throws Exception {
    int deadPort;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort(); // closed again below: nobody answers there
    }
    long start = System.nanoTime();
    Result r = run("dial", "744-196884-23", "--bootstrap", "127.0.0.1:" + deadPort, "--timeout", "2");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertNotEquals(0, r.exit());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("BOOTSTRAP_FAILED") && r.err().contains("127.0.0.1:" + deadPort), r.err());
    // the 2 s timeout, not the 10 s default, plus a JVM start on a loaded machine
    assertTrue(seconds < 60, "took " + seconds + " s");
  }

  @Test
  void dialShowsWhoIsThereAsTextAndJson() throws Exception {
    Result text = run("dial", "744-196884-23", "--bootstrap", seed(), "--timeout", "60");
    assertEquals(0, text.exit(), text.err());
    assertTrue(text.out().contains("744-196884-23: 1 agent") && text.out().contains("Agent A"), text.out());

    Result json = run("dial", "744-196884-23", "--bootstrap", seed(), "--json", "--timeout", "60");
    assertEquals(0, json.exit(), json.err());
    JsonNode roster = JSON.readTree(json.out());
    assertEquals("Agent A", roster.get("agents").get(0).asText());
  }

  @Test
  void announceOnceWithAPersistentIdentity() throws Exception {
    Path config = home.resolve("cli-config");
    Result r = run("announce", "744-196884-29", "--once", "--name", "CLI Agent", "--interest", "cli-tests",
        "--bootstrap", seed(), "--config-dir", config.toString(), "--json", "--timeout", "60");
    assertEquals(0, r.exit(), r.err());
    String key = JSON.readTree(r.out()).get("agent").asText();
    assertTrue(Files.exists(config.resolve("agent.key")));
    assertEquals(Identity.generate().publicKey().toHex().length(), key.length());
    Roster roster = present.discover(DialNumber.parse("744-196884-29")).get(20, TimeUnit.SECONDS);
    assertTrue(roster.agents().stream().anyMatch(a -> a.name().equals("CLI Agent")
        && a.agent().toHex().equals(key)), roster.toString());
    Result again = run("request", key, "--bootstrap", seed(), "--config-dir", config.toString(), "--timeout", "60");
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("744-196884-29"), again.out());
  }

  @Test
  @Order(99) // last: the node it starts and stops stays in the testnet's routing tables as a dead contact
  void aNodeRunsItsGatewayAndFlushesOnSigterm() throws Exception {
    Path dataDir = home.resolve("node-data");
    Path logFile = home.resolve("node.log");
    Process p = builder("node", "--port", "0", "--http-port", "0", "--data-dir", dataDir.toString(),
        "--bootstrap", seed(), "--log-level", "INFO").redirectError(logFile.toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String banner = out.readLine();
      Matcher m = Pattern.compile("http [0-9.]+:(\\d+)").matcher(String.valueOf(banner));
      assertTrue(m.find(), "banner: " + banner);
      int port = Integer.parseInt(m.group(1));
      HttpClient http = HttpClient.newHttpClient();
      int status = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (status != 200 && System.nanoTime() < deadline) {
        p.waitFor(200, TimeUnit.MILLISECONDS);
        try {
          status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.net.http.HttpTimeoutException e) {
          status = 0; // a loaded machine: ask again until the deadline
        }
      }
      assertEquals(200, status);
      HttpResponse<String> dial = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/dial/744-196884-23")).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(dial.body().contains("Agent A"), dial.body());
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the node did not exit on SIGTERM");
      assertTrue(Files.exists(dataDir.resolve("node.key")));
      assertTrue(Files.exists(dataDir.resolve("contacts.bin")), "contacts flushed on SIGTERM");
      assertTrue(Files.exists(dataDir.resolve("records.cbor")), "records flushed on SIGTERM");
      String log = Files.readString(logFile);
      assertTrue(log.contains("event=node.stopped"), log);
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

}
