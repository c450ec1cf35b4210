package org.dialtone.dht.api;

import java.util.Optional;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.net.PeerAddress;

/**
 * What a node does with the SIGNAL messages it receives: an envelope that another node forwards for an agent said to
 * hold a signal session here. The node's owner (the gateway, which holds the sessions) checks the envelope exactly as
 * if its sender had posted it there, and hands it on or refuses it. Called on the node's thread: it must not block.
 * The DHT carries the envelope byte for byte and knows nothing of its format.
 */
@FunctionalInterface
public interface SignalHandler {
  /** What a node without a handler answers: it takes no signals. */
  SignalHandler NONE = (from, envelope) -> Optional.of(
      new SignalRefusal(ErrorCode.UNSUPPORTED, "this node holds no signal sessions"));

  /**
   * Takes one envelope from the node at {@code from}.
   *
   * @return empty when the envelope was handed to the recipient's session, else why not
   */
  Optional<SignalRefusal> onSignal(PeerAddress from, byte[] envelope);
}
