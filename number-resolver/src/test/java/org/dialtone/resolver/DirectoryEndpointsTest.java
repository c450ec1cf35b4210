package org.dialtone.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.testkit.SimulatedCluster;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.Test;

/**
 * {@link NumberResolver#reachAlsoAt}: an endpoint learnt after start (the node holding the agent's signal inbox) goes
 * into the agent's directory record, between the profile's endpoints and where it hosts; a URL the record rules
 * refuse, or one too many, fails with INVALID_RECORD and changes nothing.
 */
class DirectoryEndpointsTest {
  private static final DialNumber N23 = DialNumber.parse("744-196884-23");
  private static final long MAX_VIRTUAL_MILLIS = 120_000;
  private static final String INBOX_NODE = "dialtone-node://192.0.2.1:7440/" + "ab".repeat(32);

  private final SimulatedCluster cluster = new SimulatedCluster(11, DhtConfig.defaults());

  @Test
  void anEndpointLearntLaterIsInTheDirectoryRecordAndBadOnesChangeNothing() {
    DhtNode node = cluster.addNode();
    cluster.await(node.bootstrap(List.of()), MAX_VIRTUAL_MILLIS);
    cluster.join(8, List.of(node.address()), 4, new int[1]);
    Identity me = Identity.generate();
    NumberResolver r = NumberResolver.create(node, me,
        AgentProfile.named("A").withEndpoints("wss://a.example/agent"));
    DhtNode readerNode = cluster.addNode();
    cluster.await(readerNode.bootstrap(List.of(node.address())), MAX_VIRTUAL_MILLIS);
    NumberResolver reader = NumberResolver.create(readerNode, Identity.generate(), AgentProfile.named("R"));

    cluster.await(r.reachAlsoAt(INBOX_NODE), MAX_VIRTUAL_MILLIS); // before any number: kept for the first
    cluster.await(r.host(N23, List.of("chat"), "ws://192.0.2.9:8053"), MAX_VIRTUAL_MILLIS);
    assertEquals(List.of("wss://a.example/agent", INBOX_NODE, "ws://192.0.2.9:8053"),
        cluster.await(reader.request(me.publicKey()), MAX_VIRTUAL_MILLIS).endpoints());

    assertEquals(ResolverError.INVALID_RECORD, failureOf(r.reachAlsoAt("not a url")).code());
    cluster.await(r.reachAlsoAt("ws://192.0.2.2:1"), MAX_VIRTUAL_MILLIS); // the fourth
    assertEquals(ResolverError.INVALID_RECORD, failureOf(r.reachAlsoAt("ws://192.0.2.3:1")).code(), "a fifth");
    assertEquals(List.of("wss://a.example/agent", INBOX_NODE, "ws://192.0.2.2:1", "ws://192.0.2.9:8053"),
        cluster.await(reader.request(me.publicKey()), MAX_VIRTUAL_MILLIS).endpoints());
  }

  private ResolverException failureOf(CompletableFuture<?> f) {
    Throwable e = assertThrows(Throwable.class, () -> cluster.await(f, MAX_VIRTUAL_MILLIS));
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return assertInstanceOf(ResolverException.class, e, "failed with " + e);
  }
}
