package org.dialtone.dht.rpc;

import java.util.Objects;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.Clock;
import org.dialtone.dht.transport.Transport;

/**
 * A transport that holds every datagram to an unproven address to the {@link AmplificationGuard}'s allowance:
 * replies, challenge PINGs and their retransmissions alike. A datagram over the allowance is not sent, and
 * {@code onWithheld} is told (the node counts it). Receiving is untouched: the node credits received bytes itself,
 * once it knows the sender.
 */
public final class GuardedTransport implements Transport {
  private final Transport inner;
  private final AmplificationGuard guard;
  private final Clock clock;
  private final Runnable onWithheld;

  /** Wraps {@code inner}; {@code onWithheld} runs for each datagram the guard keeps back. */
  public GuardedTransport(Transport inner, AmplificationGuard guard, Clock clock, Runnable onWithheld) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.guard = Objects.requireNonNull(guard, "guard");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.onWithheld = Objects.requireNonNull(onWithheld, "onWithheld");
  }

  @Override
  public PeerAddress localAddress() {
    return inner.localAddress();
  }

  @Override
  public void send(PeerAddress to, byte[] datagram) {
    if (guard.trySend(to, datagram.length, clock.monotonicMillis())) {
      inner.send(to, datagram);
    } else {
      onWithheld.run();
    }
  }

  @Override
  public void onReceive(DatagramHandler handler) {
    inner.onReceive(handler);
  }

  @Override
  public void close() {
    inner.close();
  }
}
