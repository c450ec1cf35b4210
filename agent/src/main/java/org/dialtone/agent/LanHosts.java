package org.dialtone.agent;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.resolver.number.DialNumber;

/**
 * Finding a number's hosts on the local network without the DHT, and being found there: multicast DNS in the
 * {@code dialtone} command ({@code org.dialtone.node.lan.LanHostService}), or anything else an application has. What
 * it reports is a hint, never trusted: the dialler still requires the endpoint to prove the key in the handshake,
 * and {@link Agent#connect(DialNumber)} pins (trust on first use) only keys that a signed HOST record in the DHT
 * names (see {@link HostChoice}).
 */
public interface LanHosts {
  /** One answer: an agent on the LAN that says it hosts the number, with its key and where it listens. */
  record LanHost(PublicKey key, String endpoint) {
    public LanHost {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(endpoint, "endpoint");
    }
  }

  /** The hosts of {@code number} that answer on the LAN within a bounded wait; never fails (empty instead). */
  CompletableFuture<List<LanHost>> find(DialNumber number);

  /**
   * Answers for {@code number} on the LAN from now on: the host's key {@code key}, listening on TCP {@code port}.
   * Closing the result stops answering.
   */
  AutoCloseable advertise(DialNumber number, PublicKey key, int port);
}
