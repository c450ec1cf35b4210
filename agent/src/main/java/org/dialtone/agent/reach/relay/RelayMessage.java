package org.dialtone.agent.reach.relay;

import java.util.Arrays;
import java.util.Objects;
import org.dialtone.dht.crypto.PublicKey;

/**
 * The messages on a reservation socket ({@code /relay/reserve}) between an agent that hosts through a relay and the
 * relay. Encoded by {@link RelayWire}. N is the relay (the node), A the agent.
 */
public sealed interface RelayMessage {
  /** Bytes of a challenge nonce. */
  int NONCE_BYTES = 32;
  /** Bytes of a circuit token. */
  int TOKEN_BYTES = 16;

  /** N to A, unasked, when the socket opens: a fresh nonce to sign, and the address N sees A at. */
  record Challenge(byte[] nonce, String observed) implements RelayMessage {
    /** Copies and checks. */
    public Challenge {
      nonce = fixed(nonce, NONCE_BYTES, "nonce");
      Objects.requireNonNull(observed, "observed");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Challenge c && Arrays.equals(nonce, c.nonce) && observed.equals(c.observed);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(nonce) * 31 + observed.hashCode();
    }
  }

  /** A to N: A's key and its signature over {@link RelayWire#proofMessage}. */
  record Proof(PublicKey key, byte[] signature) implements RelayMessage {
    /** Copies and checks. */
    public Proof {
      Objects.requireNonNull(key, "key");
      signature = fixed(signature, 64, "signature");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Proof p && key.equals(p.key) && Arrays.equals(signature, p.signature);
    }

    @Override
    public int hashCode() {
      return key.hashCode() * 31 + Arrays.hashCode(signature);
    }
  }

  /** A to N, after its proof: dial me back on {@code port} at the address you see me at (never another). */
  record DialBack(int port) implements RelayMessage {
    /** Checks. */
    public DialBack {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535, got " + port);
      }
    }
  }

  /** N to A: whether the dial-back reached A and A proved its key there. */
  record DialBackResult(boolean reachable) implements RelayMessage {}

  /** A to N, after its proof: reserve (or renew) a slot for circuits to A. */
  record Reserve() implements RelayMessage {}

  /** N to A: the reservation holds for {@code ttlMillis} unless renewed. */
  record Reserved(long ttlMillis) implements RelayMessage {
    /** Checks. */
    public Reserved {
      if (ttlMillis <= 0) {
        throw new IllegalArgumentException("ttlMillis must be positive, got " + ttlMillis);
      }
    }
  }

  /** N to A: a request refused, with a stable code ({@link RelayRefusal} names, NOT_PROVEN, RATE_LIMITED...). */
  record Refused(String code) implements RelayMessage {
    /** Checks: 1..32 characters of A-Z and _. */
    public Refused {
      if (!code.matches("[A-Z_]{1,32}")) {
        throw new IllegalArgumentException("a refusal code is 1..32 of A-Z and _, got " + code);
      }
    }
  }

  /**
   * N to A: a dialler is waiting; open {@code /relay/accept/<token hex>} to take the circuit. {@code observed} is the
   * IP address N sees the dialler at (the host punches towards it, never towards an address the dialler claims);
   * empty when N does not say.
   */
  record CircuitOffer(byte[] token, String observed) implements RelayMessage {
    /** Copies and checks. */
    public CircuitOffer {
      token = fixed(token, TOKEN_BYTES, "token");
      Objects.requireNonNull(observed, "observed");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CircuitOffer c && Arrays.equals(token, c.token) && observed.equals(c.observed);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(token) * 31 + observed.hashCode();
    }
  }

  private static byte[] fixed(byte[] b, int n, String what) {
    if (b.length != n) {
      throw new IllegalArgumentException(what + " must be " + n + " bytes, got " + b.length);
    }
    return b.clone();
  }
}
