package org.dialtone.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.dialtone.dht.api.SignalRefusal;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.error.ErrorCode;
import org.dialtone.dht.wire.Blob;
import org.dialtone.dht.wire.DecodeException;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;

/**
 * Whatever SIGNAL arrives (any txId, with or without a sender key, any envelope the codec accepts) and whatever the
 * node's handler answers (an ack, any code, any message up to the limit), the answer is at most three times the
 * request, decodes, and keeps the request's txId and the refusal's code.
 */
class SignalAnswerProperties {
  private static final PublicKey RESPONDER = Identity.generate().publicKey();

  @Provide
  Arbitrary<Optional<SignalRefusal>> answers() {
    Arbitrary<SignalRefusal> refusals = net.jqwik.api.Combinators.combine(Arbitraries.of(ErrorCode.class),
        Arbitraries.strings().ofMaxLength(Message.MAX_ERROR_MESSAGE_CHARS)).as(SignalRefusal::new);
    return Arbitraries.oneOf(Arbitraries.just(Optional.empty()), refusals.map(Optional::of));
  }

  @Property(tries = 1000)
  void everyAnswerStaysWithinThreeTimesItsSignal(@ForAll long txId, @ForAll boolean withSender,
      @ForAll @IntRange(min = Message.MIN_SIGNAL_BYTES, max = Message.MAX_SIGNAL_BYTES) int envelopeBytes,
      @ForAll("answers") Optional<SignalRefusal> answer) throws DecodeException {
    Message.Signal signal = new Message.Signal(txId, withSender ? Optional.of(RESPONDER) : Optional.empty(),
        Blob.of(new byte[envelopeBytes]));
    int request = MessageCodec.encode(signal).length;
    byte[] reply = QueryServer.signalAnswer(signal, answer, RESPONDER);
    assertTrue(reply.length <= 3 * request, reply.length + " bytes answer a " + request + "-byte SIGNAL");
    Message decoded = MessageCodec.decode(reply);
    assertEquals(txId, decoded.txId());
    answer.ifPresentOrElse(r -> assertEquals(r.code(), ((Message.ErrorReply) decoded).code()),
        () -> assertTrue(decoded instanceof Message.SignalAck));
  }
}
