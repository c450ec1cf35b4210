package org.dialtone.dht.node;

import org.dialtone.dht.api.NodeMetrics;
import org.dialtone.dht.api.NodeMetrics.Counter;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.transport.Transport;

/** A transport that counts what the node sends (datagrams and bytes out), and otherwise passes everything through. */
public final class CountingTransport implements Transport {
  private final Transport inner;
  private final NodeMetrics metrics;

  /** Counts into {@code metrics} what is sent on {@code inner}. */
  public CountingTransport(Transport inner, NodeMetrics metrics) {
    this.inner = inner;
    this.metrics = metrics;
  }

  @Override
  public PeerAddress localAddress() {
    return inner.localAddress();
  }

  @Override
  public java.util.List<PeerAddress> localAddresses() {
    return inner.localAddresses();
  }

  @Override
  public void send(PeerAddress to, byte[] datagram) {
    metrics.inc(Counter.DATAGRAMS_OUT);
    metrics.add(Counter.BYTES_OUT, datagram.length);
    inner.send(to, datagram);
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
