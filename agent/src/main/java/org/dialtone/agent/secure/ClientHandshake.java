package org.dialtone.agent.secure;

import java.security.KeyPair;
import java.util.Arrays;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;

/**
 * The dialling side of the handshake, with no I/O: {@link #hello()} to send, then {@link #onServerHello} with what
 * came back, which checks the server's key against the one in the signed record that was dialled and returns the
 * client's proof to send. Single use.
 */
public final class ClientHandshake {
  private final Identity identity;
  private final PublicKey expected;
  private final boolean plaintext;
  private final KeyPair ephemeral = Handshake.ephemeral();
  private final byte[] hello;
  private boolean done;

  /**
   * @param identity this agent's key, proven to the server
   * @param expected the server key from the signed DHT record that was dialled
   * @param plaintext ask for no encryption (the server allows it on loopback only, when configured to)
   */
  public ClientHandshake(Identity identity, PublicKey expected, boolean plaintext) {
    this.identity = identity;
    this.expected = expected;
    this.plaintext = plaintext;
    this.hello = Handshake.concat(Handshake.MAGIC, new byte[] {(byte) Handshake.VERSION,
        (byte) (plaintext ? Handshake.FLAG_PLAINTEXT : 0)}, Handshake.rawPublic(ephemeral), Handshake.nonce());
  }

  /** The client hello: magic, version, flags, ephemeral X25519 key, fresh 32-byte nonce. */
  public byte[] hello() {
    return hello.clone();
  }

  /** The outcome of reading the server hello: the message to send and the session keys. */
  public record Result(byte[] clientAuth, SessionKeys keys) {}

  /**
   * Checks the server hello and returns the client auth to send.
   *
   * @throws AgentException BAD_HANDSHAKE (malformed, other version, flags not as asked), BAD_SIGNATURE (the
   *     signature does not cover this session: a replay, or a MITM that changed the ephemeral key), WRONG_KEY (a
   *     valid proof from a key other than the one dialled)
   */
  public Result onServerHello(byte[] serverHello) {
    if (done) {
      throw new IllegalStateException("handshake already used");
    }
    done = true;
    if (serverHello.length != Handshake.SERVER_HELLO_BYTES) {
      throw new AgentException(AgentError.BAD_HANDSHAKE, "server hello of " + serverHello.length + " bytes");
    }
    if (serverHello[0] != Handshake.VERSION) {
      throw new AgentException(AgentError.BAD_HANDSHAKE, "server speaks version " + serverHello[0]);
    }
    if (serverHello[1] != (plaintext ? Handshake.FLAG_PLAINTEXT : 0)) {
      throw new AgentException(AgentError.BAD_HANDSHAKE, "server answered flags " + serverHello[1]);
    }
    byte[] serverEphemeral = Arrays.copyOfRange(serverHello, 2, 34);
    PublicKey server = PublicKey.of(Arrays.copyOfRange(serverHello, 66, 98));
    byte[] signedPart = Arrays.copyOfRange(serverHello, 0, Handshake.SERVER_SIGNED_BYTES);
    byte[] signature = Arrays.copyOfRange(serverHello, Handshake.SERVER_SIGNED_BYTES, Handshake.SERVER_HELLO_BYTES);
    byte[] th1 = Handshake.sha256(Handshake.TRANSCRIPT_LABEL, hello, signedPart);
    if (!server.verify(Handshake.concat(Handshake.SERVER_LABEL, th1), signature)) {
      throw new AgentException(AgentError.BAD_SIGNATURE, "server's signature does not cover this handshake");
    }
    if (!server.equals(expected)) {
      throw new AgentException(AgentError.WRONG_KEY, "endpoint proved key " + server.toHex().substring(0, 16)
          + "..., the signed record says " + expected.toHex().substring(0, 16) + "...");
    }
    byte[] me = identity.publicKey().toBytes();
    byte[] th2 = Handshake.sha256(th1, me);
    byte[] auth = Handshake.concat(me, identity.sign(Handshake.concat(Handshake.CLIENT_LABEL, th2)));
    byte[][] keys = Handshake.keys(Handshake.agree(ephemeral.getPrivate(), serverEphemeral), th2);
    return new Result(auth, new SessionKeys(server, keys[0], keys[1], plaintext));
  }
}
