package org.dialtone.agent.reach.nat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.net.PeerAddress.Subnet;
import org.dialtone.dht.time.Clock;

/**
 * Classifies our NAT from the public mappings that nodes report for one local socket. Pure: time comes from the
 * injected clock, nothing is sent. Not thread-safe: call it from the socket's scheduler.
 *
 * <p>Rules (see {@link NatSampling}): each reporter address keeps its latest report; a mapping's votes are the
 * distinct subnets of the reporters that saw it. A mapping with {@code agreeingSubnets} votes makes the NAT
 * CONSISTENT. With none, a public host with that many votes whose every mapping has a single vote makes it RANDOM
 * (each destination saw another port); a best mapping with two votes is RANDOM once {@code randomAfterSubnets}
 * subnets reported, UNKNOWN before. Anything else is UNKNOWN.
 */
public final class NatClassifier {
  private final Clock clock;
  private final NatSampling rules;
  /** Reporter address to its latest sample, oldest first. */
  private final LinkedHashMap<PeerAddress, Sample> samples = new LinkedHashMap<>();

  private record Sample(PeerAddress reporter, Subnet subnet, PeerAddress observed, long atMillis) {}

  /** A classifier on {@code clock} with {@code rules}. */
  public NatClassifier(Clock clock, NatSampling rules) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.rules = Objects.requireNonNull(rules, "rules must not be null");
  }

  /**
   * Records that {@code reporter} (a node that answered a request we sent from this socket) saw us as
   * {@code observed}. A reporter's newer report replaces its older one. Bounded: a subnet keeps at most
   * {@code maxSamplesPerSubnet} samples and the table {@code maxSamples}, dropping the oldest.
   */
  public void observe(PeerAddress reporter, PeerAddress observed) {
    PeerAddress.require(reporter, "reporter");
    PeerAddress.require(observed, "observed");
    long now = clock.monotonicMillis();
    prune(now);
    samples.remove(reporter);
    Subnet subnet = voter(reporter);
    List<PeerAddress> sameSubnet = new ArrayList<>();
    for (Sample s : samples.values()) {
      if (s.subnet.equals(subnet)) {
        sameSubnet.add(s.reporter);
      }
    }
    // Oldest first, so the first ones are the ones to drop.
    for (int i = 0; i <= sameSubnet.size() - rules.maxSamplesPerSubnet(); i++) {
      samples.remove(sameSubnet.get(i));
    }
    if (samples.size() >= rules.maxSamples()) {
      Iterator<PeerAddress> oldest = samples.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    samples.put(reporter, new Sample(reporter, subnet, observed, now));
  }

  /** Forgets every sample (after the local socket or network changed). */
  public void reset() {
    samples.clear();
  }

  /** Live samples (for tests and status). */
  public int samples() {
    prune(clock.monotonicMillis());
    return samples.size();
  }

  /** The verdict on the live samples. */
  public NatVerdict verdict() {
    prune(clock.monotonicMillis());
    Map<PeerAddress, Set<Subnet>> votesByMapping = new HashMap<>();
    Map<PeerAddress, Set<Subnet>> votesByHost = new HashMap<>();
    Set<Subnet> subnets = new HashSet<>();
    for (Sample s : samples.values()) {
      subnets.add(s.subnet);
      votesByMapping.computeIfAbsent(s.observed, k -> new HashSet<>()).add(s.subnet);
      votesByHost.computeIfAbsent(hostOf(s.observed), k -> new HashSet<>()).add(s.subnet);
    }
    int reporting = subnets.size();
    int agree = rules.agreeingSubnets();
    if (reporting < agree) {
      return NatVerdict.unknown(reporting, samples.size());
    }
    List<PeerAddress> agreed = best(votesByMapping, agree);
    if (!agreed.isEmpty()) {
      return new NatVerdict(NatType.CONSISTENT, agreed, reporting, samples.size());
    }
    List<PeerAddress> hosts = best(votesByHost, agree);
    if (hosts.size() != 1) {
      // No public host agreed (or two: a multi-homed NAT or a lie): nothing to punch towards yet.
      return NatVerdict.unknown(reporting, samples.size());
    }
    PeerAddress host = hosts.get(0);
    int bestOnHost = 0;
    for (Map.Entry<PeerAddress, Set<Subnet>> e : votesByMapping.entrySet()) {
      if (hostOf(e.getKey()).equals(host)) {
        bestOnHost = Math.max(bestOnHost, e.getValue().size());
      }
    }
    if (bestOnHost <= 1 || reporting >= rules.randomAfterSubnets()) {
      return new NatVerdict(NatType.RANDOM, List.of(host), reporting, samples.size());
    }
    return NatVerdict.unknown(reporting, samples.size());
  }

  /** Keys with at least {@code min} votes, most votes first, then by address text for a stable order. */
  private static List<PeerAddress> best(Map<PeerAddress, Set<Subnet>> votes, int min) {
    List<PeerAddress> out = new ArrayList<>();
    for (Map.Entry<PeerAddress, Set<Subnet>> e : votes.entrySet()) {
      if (e.getValue().size() >= min) {
        out.add(e.getKey());
      }
    }
    out.sort(Comparator.<PeerAddress>comparingInt(a -> -votes.get(a).size()).thenComparing(PeerAddress::toString));
    return out;
  }

  // A vote's unit: the reporter's subnet, or (for reporters we chose) the reporter's own address.
  private Subnet voter(PeerAddress reporter) {
    if (rules.voteBy() == NatSampling.VoteBy.SUBNET) {
      return reporter.subnet();
    }
    byte[] ip = reporter.ipBytes();
    byte[] key = java.util.Arrays.copyOf(ip, ip.length + 2);
    key[ip.length] = (byte) (reporter.port() >>> 8);
    key[ip.length + 1] = (byte) reporter.port();
    return new Subnet(key);
  }

  private static PeerAddress hostOf(PeerAddress a) {
    return PeerAddress.of(a.ipBytes(), 0);
  }

  private void prune(long now) {
    samples.values().removeIf(s -> now - s.atMillis >= rules.sampleTtlMillis());
  }
}
