package org.dialtone.testbed;

/** The machine cannot run a lab (no root, no iproute2 or nftables, namespaces forbidden); the message says which. */
public final class LabUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LabUnavailableException(String message) {
    super(message);
  }
}
