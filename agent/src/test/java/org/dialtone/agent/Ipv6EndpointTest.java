package org.dialtone.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.Test;

/** An agent listening on {@code ::1} publishes {@code ws://[::1]:port}, and another connects to it by that. */
class Ipv6EndpointTest {
  @Test
  void anAgentOnIpv6LoopbackIsReachedThroughItsBracketedEndpoint() throws Exception {
    try (LocalTestnet net = LocalTestnet.start(5)) {
      AgentOptions v6 = AgentOptions.builder().host("::1").build();
      Agent a = Agent.start(net.vertx(), net.addClient(), Identity.generate(), AgentProfile.named("A6"), Map.of(),
          v6);
      LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
      Agent b = Agent.start(net.vertx(), net.addClient(), Identity.generate(), AgentProfile.named("B6"),
          Map.of(Services.CHAT, Services.chat()), v6);
      b.onConnection(conn -> conn.onChat(heard::add));
      AgentServer server = b.host(DialNumber.parse("744-196884-53"), 0).get(30, TimeUnit.SECONDS);
      assertEquals("ws://[::1]:" + server.port(), server.endpoint());
      AgentConnection ab = a.connect(server.endpoint(), b.key()).get(30, TimeUnit.SECONDS);
      ab.chat("over IPv6");
      assertEquals("over IPv6", heard.poll(Duration.ofSeconds(10).toSeconds(), TimeUnit.SECONDS));
      assertTrue(ab.peer().equals(b.key()));
    }
  }
}
