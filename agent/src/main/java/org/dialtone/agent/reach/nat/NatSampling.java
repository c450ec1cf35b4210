package org.dialtone.agent.reach.nat;

/**
 * The classifier's rules and bounds.
 *
 * @param agreeingSubnets distinct reporter subnets that must report the same mapping before we believe it (and the
 *     same host before we call the NAT RANDOM); at least 2
 * @param randomAfterSubnets with no mapping agreed and the best mapping seen from two subnets only, this many
 *     reporting subnets make the verdict RANDOM rather than UNKNOWN (hyperdht: more than 4 samples); more than
 *     {@code agreeingSubnets}
 * @param maxSamples samples kept in all (one per reporter address); the oldest goes first
 * @param maxSamplesPerSubnet samples kept per reporter subnet, so one subnet cannot crowd out the others
 * @param sampleTtlMillis how long a sample counts: NATs drop and renumber idle mappings, so old reports go stale
 * @param voteBy what one vote is: a reporter's subnet (the default: a liar needs that many networks), or a reporter's
 *     address (only where every reporter is a node we chose, all in one subnet: the testbed's single /24)
 */
public record NatSampling(int agreeingSubnets, int randomAfterSubnets, int maxSamples, int maxSamplesPerSubnet,
    long sampleTtlMillis, VoteBy voteBy) {
  /** What counts as one vote. */
  public enum VoteBy {
    /** One vote per reporter subnet (IPv4 /24, IPv6 /64). */
    SUBNET,
    /** One vote per reporter address: for reporters we picked ourselves, such as our own bootstrap nodes. */
    ADDRESS
  }

  /** Three subnets agree (a liar needs three subnets to mislead us). */
  public static final int DEFAULT_AGREEING_SUBNETS = 3;
  /** Five subnets decide RANDOM when the best mapping has only two votes. */
  public static final int DEFAULT_RANDOM_AFTER_SUBNETS = 5;
  /** Sixteen samples in all. */
  public static final int DEFAULT_MAX_SAMPLES = 16;
  /** Two samples per subnet. */
  public static final int DEFAULT_MAX_SAMPLES_PER_SUBNET = 2;
  /** Ten minutes. */
  public static final long DEFAULT_SAMPLE_TTL_MILLIS = 10 * 60_000L;

  /** Rules that vote by subnet. */
  public NatSampling(int agreeingSubnets, int randomAfterSubnets, int maxSamples, int maxSamplesPerSubnet,
      long sampleTtlMillis) {
    this(agreeingSubnets, randomAfterSubnets, maxSamples, maxSamplesPerSubnet, sampleTtlMillis, VoteBy.SUBNET);
  }

  /** Validates. */
  public NatSampling {
    java.util.Objects.requireNonNull(voteBy, "voteBy must not be null");
    if (agreeingSubnets < 2) {
      throw new IllegalArgumentException("agreeingSubnets must be at least 2, got " + agreeingSubnets);
    }
    if (randomAfterSubnets <= agreeingSubnets) {
      throw new IllegalArgumentException("randomAfterSubnets must exceed agreeingSubnets (" + agreeingSubnets
          + "), got " + randomAfterSubnets);
    }
    if (maxSamplesPerSubnet < 1) {
      throw new IllegalArgumentException("maxSamplesPerSubnet must be at least 1, got " + maxSamplesPerSubnet);
    }
    if (maxSamples < randomAfterSubnets) {
      throw new IllegalArgumentException("maxSamples must be at least randomAfterSubnets (" + randomAfterSubnets
          + "), got " + maxSamples);
    }
    if (sampleTtlMillis <= 0) {
      throw new IllegalArgumentException("sampleTtlMillis must be positive, got " + sampleTtlMillis);
    }
  }

  /** The defaults above. */
  public static NatSampling defaults() {
    return new NatSampling(DEFAULT_AGREEING_SUBNETS, DEFAULT_RANDOM_AFTER_SUBNETS, DEFAULT_MAX_SAMPLES,
        DEFAULT_MAX_SAMPLES_PER_SUBNET, DEFAULT_SAMPLE_TTL_MILLIS);
  }

  /**
   * The rules a punch uses on STUN answers from the nodes it chose (its bootstrap nodes): two reporter addresses
   * agreeing on a mapping make it CONSISTENT; two that saw the same host on different ports make it RANDOM.
   */
  public static NatSampling chosenReporters() {
    return new NatSampling(2, 3, DEFAULT_MAX_SAMPLES, DEFAULT_MAX_SAMPLES, DEFAULT_SAMPLE_TTL_MILLIS, VoteBy.ADDRESS);
  }
}
