package org.dialtone.node.cli;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dialtone.agent.Agent;
import org.dialtone.agent.NatStatus;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.net.PeerAddress;
import picocli.CommandLine.Command;

/**
 * {@code dialtone status nat}: this agent's NAT, as its bootstrap nodes' STUN servers see a fresh UDP socket (the same
 * classification a punch makes), and whether its public mapping is one of this machine's own addresses (no NAT).
 */
@Command(name = "nat", mixinStandardHelpOptions = true,
    description = {"This agent's NAT: CONSISTENT (a cone NAT, or none: one public mapping for every destination), "
        + "RANDOM (a symmetric NAT: another port per destination) or UNKNOWN (fewer than two STUN servers answered), "
        + "from the STUN servers of up to four bootstrap nodes (UDP 3478).",
        "Whether a relay can dial this agent back is learnt when it hosts: dialtone host says (direct) or "
            + "(relayed by ...)."})
final class NatStatusCommand extends AgentCommands.Base {
  @Override
  int run() {
    try (AgentSession s = options.openReading(err())) {
      Agent agent = AgentLink.agent(s, AgentLink.SERVED, options.timeout(), options.seeds());
      try {
        NatStatus st = s.await(agent.checkNat(), options.timeout(), "asking the bootstrap nodes' STUN servers");
        boolean own = st.nat().type() == NatType.CONSISTENT
            && st.publicAddress().map(a -> ownAddress(a.inetAddress())).orElse(false);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("agent", agent.key().toHex());
        json.put("nat", st.nat().type().name());
        json.put("public", st.publicAddress().map(PeerAddress::toString).orElse(null));
        json.put("noNat", own);
        json.put("stunServers", st.nat().samples());
        print(text(agent.key().toHex(), st, own), json);
        return 0;
      } finally {
        agent.close();
      }
    }
  }

  static String text(String key, NatStatus st, boolean own) {
    String nat = switch (st.nat().type()) {
      case CONSISTENT -> own ? "none (CONSISTENT: the public mapping is this machine's own address)"
          : "CONSISTENT (a cone NAT: one public mapping for every destination; punchable)";
      case RANDOM -> "RANDOM (a symmetric NAT: another public port per destination; reached through a relay)";
      case UNKNOWN -> "UNKNOWN (fewer than two STUN servers answered)";
    };
    return "agent " + key + "\n"
        + "  nat         " + nat + "\n"
        + "  public      " + st.publicAddress().map(a -> a.port() == 0 ? a.inetAddress().getHostAddress()
            + " (port differs per destination)" : a.toString()).orElse("-") + "\n"
        + "  stun        " + st.nat().samples() + " server(s) answered\n";
  }

  private static boolean ownAddress(InetAddress address) {
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return false;
    }
  }
}
