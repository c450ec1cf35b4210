package org.dialtone.agent.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.dht.crypto.Identity;
import org.junit.jupiter.api.Test;

class HandshakeTest {
  private final Identity server = Identity.generate();
  private final Identity client = Identity.generate();

  @Test
  void bothSidesProveTheirKeysAndAgreeOnDirectionalKeys() {
    ClientHandshake c = new ClientHandshake(client, server.publicKey(), false);
    ServerHandshake s = new ServerHandshake(server, false);
    ClientHandshake.Result r = c.onServerHello(s.onClientHello(c.hello()));
    SessionKeys sk = s.onClientAuth(r.clientAuth());
    assertEquals(server.publicKey(), r.keys().peer());
    assertEquals(client.publicKey(), sk.peer());
    assertArrayEquals(r.keys().sendKey(), sk.receiveKey());
    assertArrayEquals(sk.sendKey(), r.keys().receiveKey());
    byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
    FrameCipher seal = r.keys().sealer();
    FrameCipher open = sk.opener();
    assertArrayEquals(msg, open.open(seal.seal(msg)));
    byte[] sealed = seal.seal(msg);
    sealed[3] ^= 1;
    assertEquals(AgentError.DECRYPT_FAILED, assertThrows(AgentException.class, () -> open.open(sealed)).code());
  }

  @Test
  void aReplayedFrameFailsToOpen() {
    ClientHandshake c = new ClientHandshake(client, server.publicKey(), false);
    ServerHandshake s = new ServerHandshake(server, false);
    ClientHandshake.Result r = c.onServerHello(s.onClientHello(c.hello()));
    FrameCipher open = s.onClientAuth(r.clientAuth()).opener();
    FrameCipher seal = r.keys().sealer();
    byte[] first = seal.seal(new byte[] {1});
    open.open(first);
    assertThrows(AgentException.class, () -> open.open(first));
  }

  @Test
  void anEndpointHeldBySomeoneElseIsWrongKey() {
    Identity squatter = Identity.generate();
    ClientHandshake c = new ClientHandshake(client, server.publicKey(), false);
    ServerHandshake s = new ServerHandshake(squatter, false);
    AgentException e = assertThrows(AgentException.class, () -> c.onServerHello(s.onClientHello(c.hello())));
    assertEquals(AgentError.WRONG_KEY, e.code());
  }

  @Test
  void aReplayedServerHelloIsRefused() {
    ClientHandshake earlier = new ClientHandshake(client, server.publicKey(), false);
    byte[] recorded = new ServerHandshake(server, false).onClientHello(earlier.hello());
    ClientHandshake now = new ClientHandshake(client, server.publicKey(), false);
    AgentException e = assertThrows(AgentException.class, () -> now.onServerHello(recorded));
    assertEquals(AgentError.BAD_SIGNATURE, e.code());
  }

  @Test
  void aMitmThatSwapsTheEphemeralKeyIsRefused() {
    ClientHandshake c = new ClientHandshake(client, server.publicKey(), false);
    byte[] hello = new ServerHandshake(server, false).onClientHello(c.hello());
    hello[5] ^= 0x20; // the server's X25519 key, replaced in transit
    assertEquals(AgentError.BAD_SIGNATURE, assertThrows(AgentException.class, () -> c.onServerHello(hello)).code());
  }

  @Test
  void aReplayedClientAuthIsRefused() {
    ClientHandshake c = new ClientHandshake(client, server.publicKey(), false);
    ServerHandshake first = new ServerHandshake(server, false);
    byte[] auth = c.onServerHello(first.onClientHello(c.hello())).clientAuth();
    first.onClientAuth(auth);
    // an eavesdropper replays the whole client side to a fresh server session
    ServerHandshake second = new ServerHandshake(server, false);
    second.onClientHello(new ClientHandshake(client, server.publicKey(), false).hello());
    assertEquals(AgentError.BAD_SIGNATURE, assertThrows(AgentException.class, () -> second.onClientAuth(auth)).code());
  }

  @Test
  void plaintextIsRefusedUnlessAllowedAndMalformedHellosAreBadHandshake() {
    ClientHandshake c = new ClientHandshake(client, server.publicKey(), true);
    assertEquals(AgentError.PLAINTEXT_REFUSED,
        assertThrows(AgentException.class, () -> new ServerHandshake(server, false).onClientHello(c.hello())).code());
    assertEquals(AgentError.BAD_HANDSHAKE,
        assertThrows(AgentException.class, () -> new ServerHandshake(server, true).onClientHello(new byte[7])).code());
  }
}
