package org.dialtone.resolver;

import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.id.Keys;
import org.dialtone.dht.id.NodeId;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.RecordKind;

/** The DHT keys the resolver's records live under: SHA-256 of {@code domain:name}, one domain per kind of fact. */
public final class ResolverKeys {
  private ResolverKeys() {}

  /** Presence, host and left records of a number: {@code number:744-196884-23}. */
  public static NodeId number(DialNumber number) {
    return number.key();
  }

  /** Recommendations made by agents on a number: {@code shares:744-196884-23}. */
  public static NodeId shares(DialNumber number) {
    return Keys.contentKey(RecordKind.SHARES.domain(), number.toString());
  }

  /** Agents with an interest: {@code interest:crypto}. */
  public static NodeId interest(String interest) {
    return Keys.contentKey(RecordKind.INTEREST.domain(), interest);
  }

  /** Recommendations tagged with an interest: {@code shared:crypto}. */
  public static NodeId sharedFor(String interest) {
    return Keys.contentKey("shared", interest);
  }

  /** Hosts of a service: {@code service:files}. */
  public static NodeId service(String service) {
    return Keys.contentKey(RecordKind.SERVICE.domain(), service);
  }

  /** An agent's directory entry: {@code agent:<public key hex>}. */
  public static NodeId agent(PublicKey agent) {
    return Keys.contentKey(RecordKind.AGENT.domain(), agent.toHex());
  }
}
