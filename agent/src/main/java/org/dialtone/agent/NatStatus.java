package org.dialtone.agent;

import java.util.Objects;
import java.util.Optional;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.nat.NatVerdict;
import org.dialtone.dht.net.PeerAddress;

/**
 * What an agent knows of its own place on the network, and since when.
 *
 * @param nat the NAT verdict of this agent's latest classification: a fresh UDP socket's public mapping as the
 *     bootstrap nodes' STUN servers (up to 4) saw it, voted per reporter address. CONSISTENT: one mapping for every
 *     destination (a cone NAT, or no NAT at all: see {@link #publicAddress()}); RANDOM: another port per destination
 *     (a symmetric NAT); UNKNOWN before any classification, or when fewer than two STUN servers answered.
 * @param natCheckedAtMillis when that verdict was made (epoch ms, the agent's clock); 0 before any
 * @param reachable whether a relay's dial-back reached this agent's server at the IP address the relay saw it at, as
 *     learnt the last time it hosted with relays ({@link Reachability#UNKNOWN} before that, or when it hosted
 *     without asking for a dial-back)
 */
public record NatStatus(NatVerdict nat, long natCheckedAtMillis, Reachability reachable) {
  /** Validates. */
  public NatStatus {
    Objects.requireNonNull(nat, "nat must not be null");
    Objects.requireNonNull(reachable, "reachable must not be null");
  }

  /** Nothing known yet. */
  public static NatStatus unknown() {
    return new NatStatus(new NatVerdict(NatType.UNKNOWN, java.util.List.of(), 0, 0), 0, Reachability.UNKNOWN);
  }

  /** The public mapping the STUN servers agreed on (CONSISTENT), or the public host with port 0 (RANDOM). */
  public Optional<PeerAddress> publicAddress() {
    return nat.addresses().stream().findFirst();
  }

  /** Whether a dial-back from a relay reached this agent. */
  public enum Reachability {
    /** Not asked yet (the agent has not hosted through a relay), or hosted without a dial-back. */
    UNKNOWN,
    /** The relay's dial-back reached the agent's server: others can dial it directly. */
    REACHABLE,
    /** The dial-back did not reach it (a NAT or firewall in the way): it is reached through a relay. */
    UNREACHABLE
  }

  NatStatus withNat(NatVerdict verdict, long atMillis) {
    return new NatStatus(verdict, atMillis, reachable);
  }

  NatStatus withReachable(boolean reached) {
    return new NatStatus(nat, natCheckedAtMillis, reached ? Reachability.REACHABLE : Reachability.UNREACHABLE);
  }
}
