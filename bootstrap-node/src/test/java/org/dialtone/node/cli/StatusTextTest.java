package org.dialtone.node.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dialtone.agent.NatStatus;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.nat.NatVerdict;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.node.gateway.JsonViews;
import org.junit.jupiter.api.Test;

/** What {@code dialtone status} and {@code dialtone status nat} print for what they learnt. */
class StatusTextTest {
  @Test
  void aNodesStatusShowsItsRelayAndWhatItsDialBacksFound() throws Exception {
    var json = JsonViews.JSON.readTree("{\"id\":\"ab\",\"status\":\"ready\",\"udp\":\"10.0.0.1:7440\","
        + "\"http\":\"10.0.0.1:8440\",\"relay\":\"tcp 10.0.0.1:7440\",\"relayUse\":{\"reservations\":2,"
        + "\"circuits\":1,\"dialBacksReached\":3,\"dialBacksUnreached\":2},\"stun\":\"stun:10.0.0.1:3478\"}");
    String text = StatusCommand.text(json);
    assertTrue(text.contains("relay       tcp 10.0.0.1:7440: 2 reservations, 1 circuits; dial-backs 3 reached, 2 not"),
        text);
    assertTrue(text.contains("stun        stun:10.0.0.1:3478"), text);
  }

  @Test
  void anAgentsNatStatusNamesTheKindOfNat() throws Exception {
    var cone = new NatStatus(new NatVerdict(NatType.CONSISTENT, List.of(PeerAddress.parse("203.0.113.7:40000")), 2,
        2), 1, NatStatus.Reachability.UNKNOWN);
    assertTrue(NatStatusCommand.text("ab", cone, false).contains("CONSISTENT (a cone NAT"));
    assertTrue(NatStatusCommand.text("ab", cone, true).contains("none (CONSISTENT: the public mapping is this"));
    assertTrue(NatStatusCommand.text("ab", cone, false).contains("public      203.0.113.7:40000"));
    var sym = new NatStatus(new NatVerdict(NatType.RANDOM, List.of(PeerAddress.of(java.net.InetAddress.getByName("203.0.113.7"), 0)), 2, 2), 1,
        NatStatus.Reachability.UNKNOWN);
    String text = NatStatusCommand.text("ab", sym, false);
    assertTrue(text.contains("RANDOM (a symmetric NAT") && text.contains("203.0.113.7 (port differs"), text);
    assertTrue(NatStatusCommand.text("ab", NatStatus.unknown(), false).contains("UNKNOWN (fewer than two"));
  }
}
