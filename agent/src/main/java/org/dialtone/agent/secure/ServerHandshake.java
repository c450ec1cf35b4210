package org.dialtone.agent.secure;

import java.security.KeyPair;
import java.util.Arrays;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.crypto.PublicKey;

/**
 * The listening side of the handshake, with no I/O: {@link #onClientHello} returns the server hello to send,
 * {@link #onClientAuth} checks the client's proof and returns the session keys. Single use.
 */
public final class ServerHandshake {
  private enum State { HELLO, AUTH, DONE }

  private final Identity identity;
  private final boolean plaintextAllowed;
  private final KeyPair ephemeral = Handshake.ephemeral();
  private State state = State.HELLO;
  private byte[] th1;
  private byte[] clientEphemeral;
  private boolean plaintext;

  /**
   * @param identity this agent's key, the one its HOST record carries
   * @param plaintextAllowed whether a client may ask for plaintext (the caller decides: loopback and configured)
   */
  public ServerHandshake(Identity identity, boolean plaintextAllowed) {
    this.identity = identity;
    this.plaintextAllowed = plaintextAllowed;
  }

  /**
   * Reads the client hello and returns the server hello: version, flags, ephemeral key, fresh nonce, Ed25519 key,
   * and a signature over the transcript hash (which covers the client's fresh nonce and ephemeral key).
   */
  public byte[] onClientHello(byte[] hello) {
    require(State.HELLO);
    if (hello.length != Handshake.CLIENT_HELLO_BYTES
        || !Arrays.equals(Arrays.copyOfRange(hello, 0, 4), Handshake.MAGIC)) {
      throw new AgentException(AgentError.BAD_HANDSHAKE, "not a client hello");
    }
    if (hello[4] != Handshake.VERSION) {
      throw new AgentException(AgentError.BAD_HANDSHAKE, "client speaks version " + hello[4]);
    }
    int flags = hello[5];
    if ((flags & ~Handshake.FLAG_PLAINTEXT) != 0) {
      throw new AgentException(AgentError.BAD_HANDSHAKE, "unknown flags " + flags);
    }
    plaintext = (flags & Handshake.FLAG_PLAINTEXT) != 0;
    if (plaintext && !plaintextAllowed) {
      throw new AgentException(AgentError.PLAINTEXT_REFUSED, "plaintext is allowed only on loopback, when enabled");
    }
    clientEphemeral = Arrays.copyOfRange(hello, 6, 38);
    byte[] signedPart = Handshake.concat(new byte[] {(byte) Handshake.VERSION, (byte) flags},
        Handshake.rawPublic(ephemeral), Handshake.nonce(), identity.publicKey().toBytes());
    th1 = Handshake.sha256(Handshake.TRANSCRIPT_LABEL, hello, signedPart);
    state = State.AUTH;
    return Handshake.concat(signedPart, identity.sign(Handshake.concat(Handshake.SERVER_LABEL, th1)));
  }

  /**
   * Checks the client's proof: its Ed25519 key and a signature over the transcript, which covers this server's fresh
   * nonce and ephemeral key, so a proof from another session does not verify.
   *
   * @throws AgentException BAD_HANDSHAKE or BAD_SIGNATURE
   */
  public SessionKeys onClientAuth(byte[] auth) {
    require(State.AUTH);
    state = State.DONE;
    if (auth.length != Handshake.CLIENT_AUTH_BYTES) {
      throw new AgentException(AgentError.BAD_HANDSHAKE, "client auth of " + auth.length + " bytes");
    }
    byte[] key = Arrays.copyOfRange(auth, 0, 32);
    PublicKey client = PublicKey.of(key);
    byte[] th2 = Handshake.sha256(th1, key);
    if (!client.verify(Handshake.concat(Handshake.CLIENT_LABEL, th2), Arrays.copyOfRange(auth, 32, 96))) {
      throw new AgentException(AgentError.BAD_SIGNATURE, "client's signature does not cover this handshake");
    }
    byte[][] keys = Handshake.keys(Handshake.agree(ephemeral.getPrivate(), clientEphemeral), th2);
    return new SessionKeys(client, keys[1], keys[0], plaintext);
  }

  private void require(State s) {
    if (state != s) {
      throw new AgentException(AgentError.BAD_HANDSHAKE, "unexpected handshake message in state " + state);
    }
  }
}
