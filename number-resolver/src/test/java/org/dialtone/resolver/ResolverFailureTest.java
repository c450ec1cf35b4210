package org.dialtone.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.api.DhtConfig;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.error.DhtException;
import org.dialtone.dht.error.DialtoneException;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.testkit.SimulatedCluster;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.Test;

/**
 * The resolver's promise: whatever goes wrong below it, its futures fail with a {@link ResolverException} (a DHT
 * failure keeps its code as {@link ResolverException#dhtCode()}), never with a raw exception from the layer below.
 */
class ResolverFailureTest {
  private static final DialNumber N23 = DialNumber.parse("744-196884-23");
  private static final long MAX_VIRTUAL_MILLIS = 120_000;

  private final SimulatedCluster cluster = new SimulatedCluster(7, DhtConfig.builder().maxWatches(2).build());

  private DhtNode node;

  private NumberResolver resolverOnSmallNetwork() {
    node = cluster.addNode();
    cluster.await(node.bootstrap(List.of()), MAX_VIRTUAL_MILLIS);
    cluster.join(5, List.of(node.address()), 5, new int[1]);
    return NumberResolver.create(node, Identity.generate(), AgentProfile.named("A"));
  }

  private ResolverException failureOf(CompletableFuture<?> f) {
    Throwable e = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
        () -> cluster.await(f, MAX_VIRTUAL_MILLIS));
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return assertInstanceOf(ResolverException.class, e, "failed with " + e);
  }

  @Test
  void aWatchTheNodeHasNoRoomForFailsWithResolverExceptionCarryingOverloaded() {
    NumberResolver r = resolverOnSmallNetwork();
    NumberWatch first = r.watch(N23, e -> { });
    cluster.await(first.ready(), MAX_VIRTUAL_MILLIS); // takes both of the node's two watches

    NumberWatch second = r.watch(DialNumber.parse("744-196884-29"), e -> { });

    ResolverException e = failureOf(second.ready());
    assertEquals(ResolverError.DHT_FAILURE, e.code());
    assertEquals(Optional.of(ErrorCode.OVERLOADED), e.dhtCode());
  }

  @Test
  void aDiscoverOnAClosedNodeFailsWithResolverExceptionCarryingClosed() {
    NumberResolver r = resolverOnSmallNetwork();
    cluster.await(node.closeAsync(), MAX_VIRTUAL_MILLIS);

    ResolverException e = failureOf(r.discover(N23));
    assertEquals(ResolverError.DHT_FAILURE, e.code());
    assertEquals(Optional.of(ErrorCode.CLOSED), e.dhtCode());
  }

  @Test
  void anUnexpectedFailureBelowIsWrappedAsInternalWithItsCause() {
    IllegalStateException bug = new IllegalStateException("a bug below");
    ResolverException e = ResolverException.of(new CompletionException(bug));
    assertEquals(ResolverError.INTERNAL, e.code());
    assertTrue(e.getCause() == bug);
    ResolverException same = new ResolverException(ResolverError.NOT_FOUND, "x");
    assertTrue(ResolverException.of(new CompletionException(same)) == same);
  }

  @Test
  void everyModulesExceptionHasTheOneShape() {
    DialtoneException dht = new DhtException(ErrorCode.TIMEOUT, "slow");
    DialtoneException resolver = new ResolverException(ResolverError.CLOSED, "closed");
    assertEquals(ErrorCode.TIMEOUT, dht.code());
    assertEquals("TIMEOUT: slow", dht.getMessage());
    assertEquals(ResolverError.CLOSED, resolver.code());
    assertEquals("CLOSED: closed", resolver.getMessage());
  }
}
