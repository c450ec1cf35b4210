package org.dialtone.node.lan;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.node.lan.MdnsCodec.Packet;
import org.dialtone.node.limit.TokenBucket;

/**
 * The first steps of every packet that reaches one of our mDNS sockets, in this order, the same for finding nodes
 * ({@link LanDiscovery}) and finding numbers' hosts ({@link LanHostDiscovery}): the inbound rate (a token bucket), then
 * where it came from (a private source on the subnet of one of our links), then its form ({@link MdnsCodec}). What
 * each discovery then believes is its own.
 */
final class MdnsIntake {
  /** Why a packet went no further than the intake. */
  enum Drop {
    /** Over the inbound packet rate: not counted as received. */
    RATE_LIMITED,
    /** Not from a private address on one of our links' subnets. */
    OFF_LINK,
    /** Not a well-formed DNS message, or over our size and record limits. */
    MALFORMED
  }

  /** What the intake tells its owner's counters. */
  interface Counts {
    /** A packet within the rate, of {@code bytes}, was received (it may still be dropped after). */
    void received(int bytes);

    /** A packet was dropped, for {@code why}. */
    void dropped(Drop why);
  }

  private final TokenBucket inbound;
  private final List<LanDiscovery.Link> links;
  private final Counts counts;

  MdnsIntake(TokenBucket inbound, List<LanDiscovery.Link> links, Counts counts) {
    this.inbound = inbound;
    this.links = List.copyOf(links);
    this.counts = counts;
  }

  /**
   * The packet that arrived from {@code source} on the interface {@code iface} (empty: on none of our links' subnets)
   * at {@code nowMillis}, decoded; empty when it was dropped (and counted).
   */
  Optional<Packet> read(long nowMillis, Optional<String> iface, PeerAddress source, byte[] data) {
    if (!inbound.tryTake(TimeUnit.MILLISECONDS.toNanos(nowMillis))) {
      return drop(Drop.RATE_LIMITED);
    }
    counts.received(data.length);
    if (iface.isEmpty() || !source.isLocal() || links.stream().noneMatch(l -> l.name().equals(iface.get()))) {
      return drop(Drop.OFF_LINK);
    }
    try {
      return Optional.of(MdnsCodec.decode(data));
    } catch (MdnsFormatException e) {
      return drop(Drop.MALFORMED);
    }
  }

  private Optional<Packet> drop(Drop why) {
    counts.dropped(why);
    return Optional.empty();
  }

  /** Counts through {@code inc} and {@code add}, naming the owner's counters for each step. */
  static <E extends Enum<E>> Counts counting(Consumer<E> inc, ObjLongConsumer<E> add,
      E packetsIn, E bytesIn, E rateLimited, E offLink, E malformed) {
    return new Counts() {
      @Override
      public void received(int bytes) {
        inc.accept(packetsIn);
        add.accept(bytesIn, bytes);
      }

      @Override
      public void dropped(Drop why) {
        inc.accept(switch (why) {
          case RATE_LIMITED -> rateLimited;
          case OFF_LINK -> offLink;
          case MALFORMED -> malformed;
        });
      }
    };
  }
}
