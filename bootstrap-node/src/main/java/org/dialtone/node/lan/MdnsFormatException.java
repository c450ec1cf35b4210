package org.dialtone.node.lan;

/** An mDNS packet that is not a well-formed DNS message, or exceeds our limits: it is dropped and counted. */
public final class MdnsFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public MdnsFormatException(String message) {
    super(message);
  }
}
