package org.dialtone.agent;

import java.util.Objects;
import java.util.Set;
import org.dialtone.dht.crypto.PublicKey;

/**
 * What a {@code files} service accepts (attack 12 of {@code docs/threats.md}): bytes in total and per peer key,
 * streams at once, the free space that must remain on the disk after a file, and, optionally, the only peer keys
 * allowed to send. A file is checked against all of them when its header arrives, before a byte is written; its
 * announced size is reserved then, and counted for good once it arrived intact (a failed transfer gives it back).
 *
 * @param maxTotalBytes bytes all peers together may send while the service runs
 * @param maxBytesPerPeer bytes one peer key may send while the service runs
 * @param maxConcurrentStreams files being received at once, from all peers
 * @param minFreeBytes free space the disk must keep after the file is written
 * @param allowedPeers the peer keys allowed to send files; empty: any peer
 */
public record FilePolicy(
    long maxTotalBytes, long maxBytesPerPeer, int maxConcurrentStreams, long minFreeBytes, Set<PublicKey> allowedPeers) {
  /** Default total: 16 GiB. */
  public static final long DEFAULT_MAX_TOTAL_BYTES = 16L << 30;
  /** Default per peer: 4 GiB, the largest single file. */
  public static final long DEFAULT_MAX_BYTES_PER_PEER = AgentOptions.DEFAULT_MAX_FILE_BYTES;
  /** Default streams at once. */
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 8;
  /** Default free space kept: 1 GiB. */
  public static final long DEFAULT_MIN_FREE_BYTES = 1L << 30;

  public FilePolicy {
    if (maxTotalBytes < 0 || maxBytesPerPeer < 0 || maxConcurrentStreams < 1 || minFreeBytes < 0) {
      throw new IllegalArgumentException("file quotas must not be negative, and at least one stream is allowed");
    }
    allowedPeers = Set.copyOf(Objects.requireNonNull(allowedPeers, "allowedPeers"));
  }

  /** The defaults: 16 GiB in all, 4 GiB per peer, 8 files at once, 1 GiB kept free, any peer. */
  public static FilePolicy defaults() {
    return new FilePolicy(DEFAULT_MAX_TOTAL_BYTES, DEFAULT_MAX_BYTES_PER_PEER, DEFAULT_MAX_CONCURRENT_STREAMS,
        DEFAULT_MIN_FREE_BYTES, Set.of());
  }

  public FilePolicy withMaxTotalBytes(long n) {
    return new FilePolicy(n, maxBytesPerPeer, maxConcurrentStreams, minFreeBytes, allowedPeers);
  }

  public FilePolicy withMaxBytesPerPeer(long n) {
    return new FilePolicy(maxTotalBytes, n, maxConcurrentStreams, minFreeBytes, allowedPeers);
  }

  public FilePolicy withMaxConcurrentStreams(int n) {
    return new FilePolicy(maxTotalBytes, maxBytesPerPeer, n, minFreeBytes, allowedPeers);
  }

  public FilePolicy withMinFreeBytes(long n) {
    return new FilePolicy(maxTotalBytes, maxBytesPerPeer, maxConcurrentStreams, n, allowedPeers);
  }

  /** Only these peers may send files (an empty set: any peer). */
  public FilePolicy withAllowedPeers(Set<PublicKey> keys) {
    return new FilePolicy(maxTotalBytes, maxBytesPerPeer, maxConcurrentStreams, minFreeBytes, keys);
  }
}
