package org.dialtone.agent.reach.signal;

import java.util.List;
import java.util.Random;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.net.PeerAddress;

/** Identities and signals for the signal tests. */
final class SignalFixtures {
  static final Identity DIALLER = Identity.generate(new Random(1));
  static final Identity HOST = Identity.generate(new Random(2));
  static final Identity NODE = Identity.generate(new Random(3));

  private SignalFixtures() {}

  static SignalBody request(long issuedAt, long expiresAt, Nonce128 nonce) {
    return new SignalBody(SignalKind.REQUEST, SignalTransport.QUIC, NatType.CONSISTENT, Refusal.NONE,
        DIALLER.publicKey(), HOST.publicKey(), new Nonce128(7, 8), nonce, issuedAt, expiresAt,
        List.of(new Candidate(Candidate.Type.REFLEXIVE, PeerAddress.parse("198.51.100.7:40000")),
            new Candidate(Candidate.Type.HOST, PeerAddress.parse("[fd00::5]:40000"))),
        new byte[0]);
  }
}
