package org.dialtone.resolver.record;

/**
 * The seed's five gossip types. ANNOUNCE, SHARE and HOST are stored as signed records; DISCOVER and REQUEST are
 * lookups (a roster, an agent directory entry), answered from what ANNOUNCE, HOST and the agent directory stored.
 */
public enum GossipType {
  /** "I'm here." */
  ANNOUNCE,
  /** "Who's online?" */
  DISCOVER,
  /** "I know about X." */
  SHARE,
  /** "I'm hosting Y." */
  HOST,
  /** "Connect me to Z." */
  REQUEST
}
