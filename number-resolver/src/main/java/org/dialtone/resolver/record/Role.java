package org.dialtone.resolver.record;

/** What an agent is on a number. */
public enum Role {
  /** Present on the number. */
  MEMBER,
  /** Hosts the number: offers services at an endpoint. */
  HOST
}
