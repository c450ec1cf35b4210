package org.dialtone.agent.gossip;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.record.SignedRecord;

/**
 * A deterministic round model of number gossip over the real {@link KnownNumbers} state machines: {@code n} agents,
 * one of which learns a new signed HOST record; each round every agent picks one peer uniformly at random and
 * gossips with it. Rounds are synchronous: every message of a round is computed from the state at the round's start.
 *
 * <p>Push: the caller sends what the callee lacks, blind (an answer to an empty digest). Push-pull: the caller sends
 * its digest, the callee answers with what the caller lacks and asks for what it lacks, the caller sends that.
 * Demers et al. give about log2 n + ln n rounds for push; push-pull needs fewer (about log3 n + O(ln ln n)).
 */
public final class GossipSimulation {
  /** The exchange modes. */
  public enum Mode { PUSH, PUSH_PULL }

  /** The outcome of one run: rounds until everyone knew, and the records carried in all. */
  public record Result(int agents, Mode mode, int rounds, long recordsSent) {
    /** log2 n + ln n, the push bound. */
    public double pushBound() {
      return Math.log(agents) / Math.log(2) + Math.log(agents);
    }
  }

  private static final byte[] EMPTY_DIGEST = new byte[2];

  private GossipSimulation() {}

  /**
   * Runs until every agent knows {@code news} (or {@code maxRounds} pass), starting from agent 0.
   *
   * @param news a signed HOST or SHARES record, valid at {@code nowMillis}
   */
  public static Result run(int n, Mode mode, long seed, SignedRecord news, long nowMillis, int maxRounds) {
    Random random = new Random(seed);
    List<KnownNumbers> agents = new ArrayList<>(n);
    var teller = Identity.generate(random).publicKey();
    for (int i = 0; i < n; i++) {
      agents.add(new KnownNumbers(teller));
    }
    agents.get(0).learn(news, news.publisher(), nowMillis);
    int informed = 1;
    long sent = 0;
    int round = 0;
    while (informed < n && round < maxRounds) {
      round++;
      int[] peer = new int[n];
      for (int i = 0; i < n; i++) {
        int j = random.nextInt(n - 1);
        peer[i] = j >= i ? j + 1 : j;
      }
      if (mode == Mode.PUSH) {
        byte[][] push = new byte[n][];
        for (int i = 0; i < n; i++) {
          push[i] = agents.get(i).size() == 0 ? null : agents.get(i).answer(EMPTY_DIGEST);
        }
        for (int i = 0; i < n; i++) {
          if (push[i] != null) {
            sent += countRecords(push[i]);
            agents.get(peer[i]).acceptOffer(push[i], teller, nowMillis);
          }
        }
      } else {
        byte[][] answers = new byte[n][];
        for (int i = 0; i < n; i++) {
          answers[i] = agents.get(peer[i]).answer(agents.get(i).digest());
        }
        byte[][] replies = new byte[n][];
        for (int i = 0; i < n; i++) {
          sent += countRecords(answers[i]);
          replies[i] = agents.get(i).acceptOffer(answers[i], teller, nowMillis);
        }
        for (int i = 0; i < n; i++) {
          sent += countRecords(replies[i]);
          agents.get(peer[i]).acceptRecords(replies[i], teller, nowMillis);
        }
      }
      informed = 0;
      for (KnownNumbers k : agents) {
        informed += k.size() > 0 ? 1 : 0;
      }
    }
    return new Result(n, mode, informed == n ? round : -1, sent);
  }

  private static int countRecords(byte[] body) {
    return ((body[0] & 0xff) << 8) | (body[1] & 0xff);
  }
}
