package org.dialtone.testbed;

/**
 * What a home router does to its LAN's traffic, named as RFC 4787 names mapping and filtering behaviour.
 */
public enum NatType {
  /** Routed, no translation and no filtering: the LAN's addresses are reachable from the internet as they are. */
  NONE("routed: no mapping, no filtering"),
  /**
   * Endpoint-independent mapping (port-preserving masquerade: one external port for a LAN socket whatever the
   * destination) with address-and-port-dependent filtering (only replies from where the socket sent to get in):
   * the common home router, a "port-restricted cone".
   */
  CONE("endpoint-independent mapping, address-and-port-dependent filtering"),
  /**
   * Address-and-port-dependent mapping (a new random external port for each destination) with
   * address-and-port-dependent filtering: "symmetric", as carrier-grade and some corporate NATs are.
   */
  SYMMETRIC("address-and-port-dependent mapping, address-and-port-dependent filtering");

  private final String rfc4787;

  NatType(String rfc4787) {
    this.rfc4787 = rfc4787;
  }

  /** The behaviour in RFC 4787's terms. */
  public String rfc4787() {
    return rfc4787;
  }
}
