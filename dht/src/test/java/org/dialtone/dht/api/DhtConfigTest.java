package org.dialtone.dht.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dialtone.dht.record.StoreLimits;
import org.dialtone.dht.routing.RoutingConfig;
import org.dialtone.dht.rpc.Rpc;
import org.junit.jupiter.api.Test;

/** One config style: records with builders, each default a named constant in one place, k kept once. */
class DhtConfigTest {
  @Test
  void kIsKeptOnceInTheRoutingConfig() {
    DhtConfig d = DhtConfig.defaults();
    assertEquals(RoutingConfig.DEFAULT_K, d.k());
    assertEquals(d.routing().k(), d.k());
    assertEquals(d.k(), d.replication(), "replication defaults to k");

    DhtConfig small = DhtConfig.builder().k(8).build();
    assertEquals(8, small.k());
    assertEquals(8, small.routing().k());
    assertEquals(3, small.watchFanout());

    RoutingConfig five = RoutingConfig.builder().k(5).maxFailures(1).build();
    assertEquals(5, DhtConfig.builder().routing(five).build().k(), "an explicit routing config brings its k");
    DhtConfig both = DhtConfig.builder().routing(five).k(7).build();
    assertEquals(7, both.k(), "k set on the builder wins");
    assertEquals(1, both.routing().maxFailures(), "and the rest of the routing config is kept");

    assertThrows(IllegalArgumentException.class, () -> DhtConfig.builder().k(0).build());
    assertThrows(IllegalArgumentException.class, () -> DhtConfig.builder().k(4).replication(5).build());
  }

  @Test
  void toBuilderRoundTripsEveryField() {
    DhtConfig c = DhtConfig.builder().k(12).alpha(4).replication(6).clientMode(true)
        .rpc(Rpc.Config.builder().maxRetries(1).build())
        .store(StoreLimits.builder().maxRecords(99).build())
        .rateLimit(5, 10).maxWatches(3).build();
    assertEquals(c, c.toBuilder().build());
  }

  @Test
  void theDefaultsAreTheNamedConstants() {
    assertEquals(new Rpc.Config(1_000, 250, 4_000, 2, 4096), Rpc.Config.defaults());
    assertEquals(Rpc.Config.defaults(), DhtConfig.defaults().rpc());
    assertEquals(new RoutingConfig(20, 10, 2, false, 2, 10), RoutingConfig.defaults());
    assertEquals(new StoreLimits(256, 50_000, 86_400, 16, 2_000), StoreLimits.defaults());
    DhtConfig d = DhtConfig.defaults();
    assertEquals(DhtConfig.DEFAULT_RATE_LIMIT_PER_SECOND, d.rateLimitPerSecond());
    assertEquals(DhtConfig.DEFAULT_RATE_LIMIT_BURST, d.rateLimitBurst());
    assertEquals(DhtConfig.DEFAULT_RATE_LIMIT_TRACKED_ADDRESSES, d.rateLimitTrackedAddresses());
    assertEquals(Rpc.Config.defaults(), Rpc.Config.defaults().toBuilder().build());
    assertEquals(RoutingConfig.defaults(), RoutingConfig.defaults().toBuilder().build());
  }
}
