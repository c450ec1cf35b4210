package org.dialtone.node.gateway;

import java.util.List;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.Role;
import org.dialtone.resolver.record.Share;

/**
 * The input rules the CLI and the gateway share, so a word one refuses the other refuses too (the CLI once found 0
 * agents "interested in Crypto" while the gateway answered 400 and announce refused the word). The rules are the
 * record rules themselves: values are checked by making the record fields they become. Each method throws
 * {@link IllegalArgumentException} with a message that says what is wrong.
 */
public final class Inputs {
  private static final PublicKey ANY_KEY = Identity.fromSeed(new byte[32]).publicKey();

  private Inputs() {}

  /** An interest or a service: a lowercase word of 1..32 characters [a-z0-9._-]. */
  public static String word(String what, String value) {
    try {
      new AgentInfo(ANY_KEY, "x", DialNumber.BOOTSTRAP, Role.MEMBER, List.of(value), List.of(), List.of(), List.of(),
          0, 0);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replaceFirst("^services", what));
    }
    return value;
  }

  /** A display name and interests, as a presence record will carry them. */
  public static void profile(String name, List<String> interests) {
    new AgentInfo(ANY_KEY, name, DialNumber.BOOTSTRAP, Role.MEMBER, List.of(), interests, List.of(), List.of(), 0, 0);
  }

  /** Services and an endpoint, as a host record will carry them. */
  public static void hosting(List<String> services, String endpoint) {
    new AgentInfo(ANY_KEY, "x", DialNumber.BOOTSTRAP, Role.HOST, services, List.of(), List.of(endpoint), List.of(),
        0, 0);
  }

  /** A recommendation's note and interests. */
  public static void share(String note, List<String> interests) {
    new Share(DialNumber.BOOTSTRAP, note, interests);
  }
}
