package org.dialtone.agent;

import java.util.List;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.punch.AbortCode;
import org.dialtone.agent.reach.signal.Refusal;

/**
 * How an attempt to move a relayed connection to a punched path ended.
 *
 * @param connection the connection to use: the punched one, or the relayed one it started from
 * @param ourNat our NAT as the STUN answers classified it
 * @param theirNat the peer's NAT as it signalled (UNKNOWN when no answer came)
 * @param outcome {@link Outcome#PUNCHED}, or why not
 * @param detail more about a failure, for people (an error's message, a signal's error); empty when there is none
 * @param millis from the start of the attempt to its end
 * @param steps each step that ended and how long it took ("stun 40 ms", "signals (rtt 85 ms) 90 ms", "punch ...",
 *     "quic ...", "handshake ..."), for the curious and for measurements
 */
public record PunchResult(AgentConnection connection, NatType ourNat, NatType theirNat, Outcome outcome,
    String detail, long millis, List<String> steps) {
  /** Copies. */
  public PunchResult {
    steps = List.copyOf(steps);
  }

  /** True when the connection moved to a punched path. */
  public boolean punched() {
    return connection.path() == ConnectionPath.PUNCHED;
  }

  /** The outcome, with its detail when there is one: what the CLI prints. */
  public String describe() {
    return detail.isEmpty() ? outcome.name() : outcome.name() + " (" + detail + ")";
  }

  /** How a punch ended. Stable names: the CLI prints them. */
  public enum Outcome {
    /** The connection moved to a punched path. */
    PUNCHED(false),
    /** The connection was not relayed: nothing to punch. */
    NOT_RELAYED(false),
    /** Our punch sessions are all in use, or the host answered that its are (or its wide-punch guard is full). */
    BUSY(true),
    /** No UDP socket to punch from could be opened here. */
    NO_SOCKET(false),
    /** Our NAT or the host's could not be classified. */
    NAT_UNKNOWN(false),
    /** The host no longer hosts what the connection was for. */
    NOT_HOSTING(false),
    /** The host does not speak the punched transport. */
    UNSUPPORTED_TRANSPORT(false),
    /** Both NATs map randomly: no punch works. */
    DOUBLE_RANDOMIZED_NATS(false),
    /** The host gave no address to probe. */
    NO_REMOTE_ADDRESS(false),
    /** A wide punch needs a relay-observed address of the host, and there was none. */
    REMOTE_ADDRESS_UNVERIFIED(false),
    /** A wide punch towards the same host runs already. */
    REMOTE_HOST_BUSY(true),
    /** Our budget for wide punches is spent for now. */
    PROBE_BUDGET(true),
    /** Every probe in the budget was sent and none came back. */
    PROBES_EXHAUSTED(true),
    /** The punch's deadline passed. */
    DEADLINE(true),
    /** No extra socket could be opened for birthday probing. */
    NO_SOCKETS(false),
    /** Called off. */
    CANCELLED(false),
    /** A signal from the host was malformed, forged, stale or unexpected (the detail names which). */
    SIGNAL_REJECTED(false),
    /** The whole attempt outlived its session. */
    TIMEOUT(false),
    /** The host holds as many connections from us as it allows (an earlier punch's, say). */
    TOO_MANY_CONNECTIONS(true),
    /**
     * QUIC or the agent handshake over the punched path failed (the detail says how): rarely, the two sides of a
     * birthday punch settle on different sockets; another punch draws new ones.
     */
    CONNECT_FAILED(true);

    private final boolean worthRetrying;

    Outcome(boolean worthRetrying) {
      this.worthRetrying = worthRetrying;
    }

    /**
     * True for a punch refused for bounds (ours or the host's) or that found no path within its budget: another try
     * later may succeed, within the same bounds.
     */
    public boolean worthRetrying() {
      return worthRetrying;
    }

    /** The outcome of a host's refusal. */
    static Outcome of(Refusal refusal) {
      return switch (refusal) {
        case NONE -> PUNCHED;
        case BUSY -> BUSY;
        case NOT_HOSTING -> NOT_HOSTING;
        case UNSUPPORTED_TRANSPORT -> UNSUPPORTED_TRANSPORT;
        case DOUBLE_RANDOMIZED_NATS -> DOUBLE_RANDOMIZED_NATS;
      };
    }

    /** The outcome of a hole punch that stopped. */
    static Outcome of(AbortCode code) {
      return switch (code) {
        case DOUBLE_RANDOMIZED_NATS -> DOUBLE_RANDOMIZED_NATS;
        case NAT_UNKNOWN -> NAT_UNKNOWN;
        case NO_REMOTE_ADDRESS -> NO_REMOTE_ADDRESS;
        case REMOTE_ADDRESS_UNVERIFIED -> REMOTE_ADDRESS_UNVERIFIED;
        case REMOTE_HOST_BUSY -> REMOTE_HOST_BUSY;
        case PROBE_BUDGET -> PROBE_BUDGET;
        case PROBES_EXHAUSTED -> PROBES_EXHAUSTED;
        case DEADLINE -> DEADLINE;
        case NO_SOCKETS -> NO_SOCKETS;
        case CANCELLED -> CANCELLED;
      };
    }

    /** The outcome of an agent error on the punched path. */
    static Outcome of(AgentError error) {
      return error == AgentError.TOO_MANY_CONNECTIONS ? TOO_MANY_CONNECTIONS : CONNECT_FAILED;
    }
  }
}
