package org.dialtone.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dialtone.agent.error.AgentError;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack 10 of {@code docs/threats.md}: an attacker hosts a number someone else hosts, over real sockets. The caller
 * sees both hosts and must choose; once it trusted a key, a different one is refused until the user accepts it.
 */
class NumberHijackTest {
  static final DialNumber N = DialNumber.parse("744-196884-53");
  static LocalTestnet net;
  static Vertx vertx;
  @TempDir static Path dir;

  @BeforeAll
  static void network() {
    net = LocalTestnet.start(5);
    vertx = net.vertx();
  }

  @AfterAll
  static void down() {
    net.close();
  }

  static Agent agent(String name) {
    return Agent.start(vertx, net.addClient(), Identity.generate(), AgentProfile.named(name),
        Map.of(Services.CHAT, Services.chat()), AgentOptions.defaults());
  }

  static HostChoiceException refused(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    return assertInstanceOf(HostChoiceException.class, e.getCause());
  }

  static Set<PublicKey> keys(HostChoiceException e) {
    return e.candidates().stream().map(HostCandidate::key).collect(Collectors.toSet());
  }

  @Test
  void aSecondHostIsSeenAndATrustedKeyIsNeverSwappedSilently() throws Exception {
    Path knownFile = dir.resolve("known_hosts");
    Agent b = agent("Agent B");
    Agent a = agent("Agent A").useKnownHosts(KnownHosts.open(knownFile));
    AgentServer bServer = b.host(N).get(30, TimeUnit.SECONDS);
    assertEquals(b.key(), a.connect(N).get(30, TimeUnit.SECONDS).peer(), "one host: dialled, and trusted");
    assertEquals(b.key(), a.knownHosts().trusted(N).orElseThrow().key());

    // The attacker hosts the same number under the same name, from a fresh key.
    Agent mallory = agent("Agent B");
    AgentServer mServer = mallory.host(N).get(30, TimeUnit.SECONDS);
    assertEquals(Set.of(b.key(), mallory.key()),
        a.hosts(N).get(30, TimeUnit.SECONDS).stream().map(HostCandidate::key).collect(Collectors.toSet()));
    assertEquals(b.key(), a.connect(N).get(30, TimeUnit.SECONDS).peer(), "A keeps dialling the key it trusts");

    // A newcomer trusts nobody yet: it sees both and must choose.
    Agent d = agent("Agent D");
    HostChoiceException ambiguous = refused(d.connect(N));
    assertEquals(AgentError.AMBIGUOUS_HOST, ambiguous.code());
    assertEquals(Set.of(b.key(), mallory.key()), keys(ambiguous));
    assertTrue(ambiguous.getMessage().contains(b.key().toHex()), ambiguous.getMessage());
    assertEquals(b.key(), d.connect(N, b.key()).get(30, TimeUnit.SECONDS).peer());
    assertEquals(AgentError.HOST_KEY_CHANGED, refused(d.connect(N, mallory.key())).code(), "D now trusts B");

    // B leaves; only the attacker hosts N. A refuses loudly, even after a restart (the trust is in the file) ...
    bServer.closeAsync().get(30, TimeUnit.SECONDS);
    awaitHosts(a, Set.of(mallory.key()));
    HostChoiceException changed = refused(a.connect(N));
    assertEquals(AgentError.HOST_KEY_CHANGED, changed.code());
    assertEquals(Set.of(mallory.key()), keys(changed));
    Agent aRestarted = agent("Agent A again").useKnownHosts(KnownHosts.open(knownFile));
    assertEquals(AgentError.HOST_KEY_CHANGED, refused(aRestarted.connect(N)).code());
    System.out.printf("attack 10: a second host on %s: the trusting caller kept its host; a new caller got %s "
        + "listing %d hosts; after the host left, the caller got %s%n", N, ambiguous.code(),
        ambiguous.candidates().size(), changed.code());
    // ... until the user accepts the new key.
    a.knownHosts().trust(N, mallory.key(), System.currentTimeMillis());
    assertEquals(mallory.key(), a.connect(N).get(30, TimeUnit.SECONDS).peer());
    assertTrue(Files.readString(knownFile).contains(mallory.key().toHex()));
    mServer.closeAsync().get(30, TimeUnit.SECONDS);
  }

  private static void awaitHosts(Agent a, Set<PublicKey> expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Set<PublicKey> seen = Set.of();
    while (System.nanoTime() < deadline) {
      seen = a.hosts(N).get(30, TimeUnit.SECONDS).stream().map(HostCandidate::key).collect(Collectors.toSet());
      if (seen.equals(expected)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("hosts of " + N + " are " + seen + ", expected " + expected);
  }
}
