package org.dialtone.agent.reach.punch;

/**
 * The bounds of one punch. Defaults after hyperdht's holepuncher: 10 direct rounds 1 s apart; 1,750 random-port
 * probes 20 ms apart (about 35 s); then birthday sockets (16 per tick), then 1,750 keep-alive probes 20 ms apart
 * round-robin. hyperdht opens 256 birthday sockets; we open 512: 1,750 random probes then miss all 513 mappings (the
 * main socket's too) among the 64,512 ports a symmetric NAT draws from with probability
 * (1 - 513/64,512)^1,750, about e^-13.9 or 1 in a million, against about 1 in 1,000 with 256 (whose 257 mappings
 * give e^-7.0); the first hit also comes twice as soon (after 126 probes, 2.5 s, on average). The cost is
 * local: 256 more file descriptors for a few seconds, and 256 more probes at the one mapping the remote signed.
 *
 * @param directRounds rounds of probes to every remote address (DIRECT)
 * @param directIntervalMillis time between rounds
 * @param randomProbes probes to random ports of the remote's host (RANDOM_PORTS)
 * @param birthdaySockets extra sockets opened (BIRTHDAY)
 * @param birthdayOpenPerTick sockets opened, and probed once with a low TTL, per tick
 * @param birthdayProbes keep-alive probes once the sockets are open, one per tick, round-robin
 * @param probeIntervalMillis the tick of RANDOM_PORTS and BIRTHDAY
 * @param deadlineMillis the whole punch, from start
 */
public record PunchBudget(
    int directRounds,
    long directIntervalMillis,
    int randomProbes,
    int birthdaySockets,
    int birthdayOpenPerTick,
    int birthdayProbes,
    long probeIntervalMillis,
    long deadlineMillis) {
  /** Validates. */
  public PunchBudget {
    positive(directRounds, "directRounds");
    positive(directIntervalMillis, "directIntervalMillis");
    positive(randomProbes, "randomProbes");
    positive(birthdaySockets, "birthdaySockets");
    positive(birthdayOpenPerTick, "birthdayOpenPerTick");
    positive(birthdayProbes, "birthdayProbes");
    positive(probeIntervalMillis, "probeIntervalMillis");
    positive(deadlineMillis, "deadlineMillis");
    if (birthdaySockets > 1024) {
      throw new IllegalArgumentException("birthdaySockets at most 1024 (file descriptors), got " + birthdaySockets);
    }
  }

  /** hyperdht's figures but 512 birthday sockets (above), with a 40 s deadline. */
  public static PunchBudget defaults() {
    return new PunchBudget(10, 1000, 1750, 512, 16, 1750, 20, 40_000);
  }

  private static void positive(long v, String name) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
  }

  /** The most probes a punch by {@code strategy} sends within this budget, its echo included. */
  public int maxProbes(PunchStrategy strategy) {
    return switch (strategy) {
      case RANDOM_PORTS -> randomProbes + 1;
      case BIRTHDAY -> birthdaySockets + birthdayProbes + 1;
      case DIRECT -> directRounds * RemotePeer.MAX_ADDRESSES + 1;
      case RELAY -> 1;
    };
  }
}
