package org.dialtone.agent;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link Agent#join} keeps a room on a number: built once, validated, the same style as {@link AgentOptions}.
 *
 * @param maxPeers connections the swarm keeps at once; members past it are neither dialled nor accepted
 * @param relays relays to reserve at when this agent is not reachable directly, as {@code ws://host:port}; empty: those
 *     the bootstrap nodes announce on 744-196884-0
 * @param port local TCP port the agent listens on (0: any free one)
 * @param answerWait how long a member with the larger key waits for the smaller key's call before dialling itself
 *     (only one side dials, so two members do not open two connections; this covers a side that cannot)
 * @param retryMax the longest pause between attempts to reach a member that could not be reached
 * @param refreshInterval how often the roster is read again, beside the pushed watch (which can miss an event)
 * @param punch whether a relayed connection this agent dialled then tries to move to a punched path
 *     ({@link Agent#punch}); the room keeps the relayed one meanwhile, and when the punch fails
 */
public record JoinOptions(int maxPeers, List<String> relays, int port, Duration answerWait, Duration retryMax,
    Duration refreshInterval, boolean punch) {
  /** Default cap on peers. */
  public static final int DEFAULT_MAX_PEERS = 32;
  /** Default wait for the smaller key's call. */
  public static final Duration DEFAULT_ANSWER_WAIT = Duration.ofSeconds(10);
  /** Default longest pause between attempts. */
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(30);
  /** Default roster refresh. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(30);

  public JoinOptions {
    relays = List.copyOf(relays);
    Objects.requireNonNull(answerWait, "answerWait");
    Objects.requireNonNull(retryMax, "retryMax");
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    if (maxPeers < 1 || maxPeers > 1024) {
      throw new IllegalArgumentException("maxPeers must be 1..1024, got " + maxPeers);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (answerWait.isNegative() || retryMax.toMillis() < 1 || refreshInterval.toMillis() < 1) {
      throw new IllegalArgumentException("waits must not be negative and intervals must be positive");
    }
  }

  /**
   * The defaults: 32 peers, relays from 744-196884-0, any port, 10 s answer wait, retries up to 30 s apart, relayed
   * connections punched where the NATs allow.
   */
  public static JoinOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link JoinOptions}; each setter replaces one default. */
  public static final class Builder {
    private int maxPeers = DEFAULT_MAX_PEERS;
    private List<String> relays = List.of();
    private int port;
    private Duration answerWait = DEFAULT_ANSWER_WAIT;
    private Duration retryMax = DEFAULT_RETRY_MAX;
    private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
    private boolean punch = true;

    private Builder() {}

    public Builder maxPeers(int v) {
      maxPeers = v;
      return this;
    }

    public Builder relays(List<String> v) {
      relays = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder answerWait(Duration v) {
      answerWait = v;
      return this;
    }

    public Builder retryMax(Duration v) {
      retryMax = v;
      return this;
    }

    public Builder refreshInterval(Duration v) {
      refreshInterval = v;
      return this;
    }

    public Builder punch(boolean v) {
      punch = v;
      return this;
    }

    public JoinOptions build() {
      return new JoinOptions(maxPeers, relays, port, answerWait, retryMax, refreshInterval, punch);
    }
  }
}
