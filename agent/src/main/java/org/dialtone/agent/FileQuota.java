package org.dialtone.agent;

import org.dialtone.agent.error.AgentError;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.dialtone.dht.crypto.PublicKey;

/**
 * The running account of one {@code files} service against its {@link FilePolicy}: bytes reserved or received in
 * total and per peer, and streams open. Plain state, no I/O (free space is asked of a supplier); thread-safe, since
 * connections run on different event loops.
 */
final class FileQuota {
  /** A refusal: the error the sender hears, and why. */
  record Refusal(AgentError code, String message) {}

  private final FilePolicy policy;
  private final LongSupplier freeBytes;
  private final Map<PublicKey, Long> perPeer = new HashMap<>();
  private long total;
  private int streams;

  FileQuota(FilePolicy policy, LongSupplier freeBytes) {
    this.policy = policy;
    this.freeBytes = freeBytes;
  }

  /** Reserves {@code size} bytes and a stream for a file from {@code peer}, or says why not. */
  synchronized Optional<Refusal> reserve(PublicKey peer, long size) {
    if (!policy.allowedPeers().isEmpty() && !policy.allowedPeers().contains(peer)) {
      return Optional.of(new Refusal(AgentError.NOT_ALLOWED, "this agent accepts files from listed keys only"));
    }
    if (streams >= policy.maxConcurrentStreams()) {
      return Optional.of(new Refusal(AgentError.QUOTA_EXCEEDED,
          "already receiving " + streams + " files, the most at once"));
    }
    long peerUsed = perPeer.getOrDefault(peer, 0L);
    if (size > policy.maxBytesPerPeer() - peerUsed) {
      return Optional.of(new Refusal(AgentError.QUOTA_EXCEEDED, "over the " + policy.maxBytesPerPeer()
          + " bytes one peer may send (" + peerUsed + " used)"));
    }
    if (size > policy.maxTotalBytes() - total) {
      return Optional.of(new Refusal(AgentError.QUOTA_EXCEEDED, "over the " + policy.maxTotalBytes()
          + " bytes this agent accepts in all"));
    }
    if (freeBytes.getAsLong() - size < policy.minFreeBytes()) {
      return Optional.of(new Refusal(AgentError.QUOTA_EXCEEDED, "not enough free disk space for " + size
          + " bytes"));
    }
    perPeer.merge(peer, size, Long::sum);
    total += size;
    streams++;
    return Optional.empty();
  }

  /** The file arrived intact: its bytes stay counted, its stream is free. */
  synchronized void completed() {
    streams--;
  }

  /** The file failed: its reservation is given back. */
  synchronized void released(PublicKey peer, long size) {
    streams--;
    total -= size;
    perPeer.computeIfPresent(peer, (k, v) -> v - size == 0 ? null : v - size);
  }

  synchronized long totalBytes() {
    return total;
  }

  synchronized int streams() {
    return streams;
  }
}
