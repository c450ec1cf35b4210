package org.dialtone.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dialtone.dht.net.PeerAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's small parts: host names, typo suggestions, key prefixes, profiles. */
class CliPartsTest {
  @TempDir Path dir;

  @Test
  void bootstrapTakesHostNamesResolvedAtTheEdge() throws Exception {
    HostPorts.Resolver fake = host -> {
      if (host.equals("boot.example.org")) {
        return new InetAddress[] {InetAddress.getByName("127.0.0.7"), InetAddress.getByName("127.0.0.8")};
      }
      throw new UnknownHostException(host);
    };
    assertEquals(List.of(PeerAddress.parse("127.0.0.1:7440"), PeerAddress.parse("127.0.0.7:7441"),
        PeerAddress.parse("127.0.0.8:7441")),
        HostPorts.parse("--bootstrap", List.of("127.0.0.1:7440", "boot.example.org:7441"), fake));
    CliError unknown = assertThrows(CliError.class,
        () -> HostPorts.parse("--bootstrap", List.of("nowhere.example.org:7440"), fake));
    assertEquals(CliError.EXIT_USAGE, unknown.exitCode());
    assertTrue(unknown.getMessage().contains("'nowhere.example.org' does not resolve"), unknown.getMessage());
    CliError noPort = assertThrows(CliError.class, () -> HostPorts.parse("--bootstrap", List.of("boot"), fake));
    assertTrue(noPort.getMessage().contains("is not host:port"), noPort.getMessage());
  }

  @Test
  void theNearestKeyIsSuggestedOnlyWhenItIsCloseEnough() {
    Set<String> keys = Set.of("port", "http-port", "data-dir", "bootstrap", "log-level");
    assertEquals(Optional.of("port"), ConfigCheck.nearest("prot", keys));
    assertEquals(Optional.of("http-port"), ConfigCheck.nearest("http-prot", keys));
    assertEquals(Optional.of("data-dir"), ConfigCheck.nearest("datadir", keys));
    assertEquals(Optional.empty(), ConfigCheck.nearest("colour", keys));
    assertEquals(1, ConfigCheck.distance("prot", "port"));
  }

  @Test
  void aKeyPrefixResolvesWhenUnambiguous() {
    SeenAgents seen = new SeenAgents(dir);
    String a = "ab12" + "0".repeat(60);
    String b = "ab13" + "1".repeat(60);
    seen.remember(List.of(a, b));
    assertEquals(a, seen.resolve("AB12"));
    assertEquals(b, seen.resolve(b));
    CliError tooShort = assertThrows(CliError.class, () -> seen.resolve("ab1"));
    assertEquals(CliError.EXIT_USAGE, tooShort.exitCode());
    assertTrue(tooShort.getMessage().contains("at least 4"), tooShort.getMessage());
    seen.remember(List.of("ab12" + "f".repeat(60)));
    CliError two = assertThrows(CliError.class, () -> seen.resolve("ab12"));
    assertEquals("AMBIGUOUS_AGENT", two.code());
    assertTrue(two.getMessage().contains("2 keys"), two.getMessage());
    assertEquals("UNKNOWN_AGENT", assertThrows(CliError.class, () -> seen.resolve("ffff")).code());
  }

  @Test
  void theSeenListIsBounded() throws Exception {
    SeenAgents seen = new SeenAgents(dir);
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i < SeenAgents.MAX + 50; i++) {
      many.add(String.format("%064x", i));
    }
    seen.remember(many);
    assertEquals(SeenAgents.MAX, Files.readAllLines(dir.resolve("seen-agents")).size());
  }

  @Test
  void profilesHaveTheirOwnKeysAndOnePublisherAtATime() throws Exception {
    Profile a = Profile.of(dir, "alice");
    Profile def = Profile.of(dir, null);
    assertEquals(dir.resolve("profiles/alice/agent.key"), a.keyFile());
    assertEquals(dir.resolve("agent.key"), def.keyFile());
    assertTrue(!a.identity().publicKey().equals(def.identity().publicKey()));
    assertEquals(a.identity().publicKey(), Profile.of(dir, "alice").identity().publicKey());
    a.save("Alice", List.of("crypto"));
    assertEquals(Optional.of("Alice"), a.saved().displayName());
    assertEquals(List.of("crypto"), a.saved().interests());
    assertEquals(CliError.EXIT_USAGE, assertThrows(CliError.class, () -> Profile.of(dir, "../x")).exitCode());
    // The lock is per process (the OS holds it for the JVM), so within one JVM a second tryLock on another
    // channel fails with OverlappingFileLockException; the process test covers two processes.
    try (AutoCloseable lock = a.lockForPublishing("announce 744-196884-23")) {
      assertTrue(Files.readString(a.dir().resolve("publish.lock")).contains("announce 744-196884-23"));
    }
    try (AutoCloseable again = a.lockForPublishing("host")) {
      assertTrue(Files.readString(a.dir().resolve("publish.lock")).contains("host"));
    }
    assertEquals(List.of("default", "alice"), Profile.list(dir));
  }

  @Test
  void usageErrorsPointToTheSubcommandsOwnHelp() {
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();
    int code = org.dialtone.node.Main.run(new String[] {"dial", "--bogus"}, new java.io.PrintWriter(out),
        new java.io.PrintWriter(err), Map.of());
    assertEquals(2, code);
    assertTrue(err.toString().contains("(see: dialtone dial --help)"), err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
  }

  @Test
  void connectAndServingHostRefuseBadInputInOneLineWithExitTwo() {
    String[][] cases = {
        {"connect", "744-196884-54", "--service", "files"},
        {"connect", "744-x"},
        {"host", "744-196884-54", "--services", "files"},
        {"host", "744-196884-54", "--relay", "http://127.0.0.1:7440"},
        {"host", "744-196884-54", "--port", "70000"}};
    for (String[] args : cases) {
      var out = new java.io.StringWriter();
      var err = new java.io.StringWriter();
      int code = org.dialtone.node.Main.run(args, new java.io.PrintWriter(out), new java.io.PrintWriter(err),
          Map.of("DIALTONE_CONFIG_DIR", dir.toString()));
      assertEquals(2, code, String.join(" ", args) + ": " + err);
      assertEquals(1, err.toString().strip().lines().count(), err.toString());
      assertTrue(err.toString().startsWith("dialtone: "), err.toString());
    }
  }

  @Test
  void joinWithBrowsersTakesAGatewayUrlOrSaysWhatItWantsInOneLine() {
    for (String url : new String[] {"ws://127.0.0.1:8440", "http://127.0.0.1", "http://127.0.0.1:8440/x", "nonsense"}) {
      var out = new java.io.StringWriter();
      var err = new java.io.StringWriter();
      int code = org.dialtone.node.Main.run(new String[] {"join", "744-196884-54", "--browsers", url},
          new java.io.PrintWriter(out), new java.io.PrintWriter(err), Map.of("DIALTONE_CONFIG_DIR", dir.toString()));
      assertEquals(2, code, url + ": " + err);
      assertEquals(1, err.toString().strip().lines().count(), err.toString());
      assertTrue(err.toString().startsWith("dialtone: BAD_GATEWAY_URL: --browsers takes a node's gateway as "
          + "http://HOST:PORT"), err.toString());
    }
    assertEquals(java.net.URI.create("http://10.0.0.1:8440"), BrowserLink.gateway("http://10.0.0.1:8440/"));
    for (String[] args : new String[][] {
        {"join", "744-196884-54", "--browsers", "http://127.0.0.1:8440", "--call-browser", "abc"},
        {"join", "744-196884-54", "--call-browser", "ab".repeat(32)}}) {
      var out = new java.io.StringWriter();
      var err = new java.io.StringWriter();
      int code = org.dialtone.node.Main.run(args, new java.io.PrintWriter(out), new java.io.PrintWriter(err),
          Map.of("DIALTONE_CONFIG_DIR", dir.toString()));
      assertEquals(2, code, String.join(" ", args) + ": " + err);
      assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }
  }
}
