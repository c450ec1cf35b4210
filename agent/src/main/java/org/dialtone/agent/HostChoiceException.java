package org.dialtone.agent;

import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.error.AgentException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@link Agent#connect(org.dialtone.resolver.number.DialNumber)} refused to pick a host for the caller: either several
 * agents host the number ({@link AgentError#AMBIGUOUS_HOST}), or the host's key is not the one trusted for that number
 * ({@link AgentError#HOST_KEY_CHANGED}). {@link #candidates()} lists every host found, so the caller can choose one
 * with {@link Agent#connect(org.dialtone.resolver.number.DialNumber, org.dialtone.dht.crypto.PublicKey)} after
 * {@link KnownHosts#trust} where the key changed.
 */
public final class HostChoiceException extends AgentException {
  private static final long serialVersionUID = 1L;

  private final transient List<HostCandidate> candidates;

  HostChoiceException(AgentError code, String message, List<HostCandidate> candidates) {
    super(code, message + ": " + candidates.stream().map(HostCandidate::describe)
        .collect(Collectors.joining("; ")));
    this.candidates = List.copyOf(candidates);
  }

  /** Every host found on the number. */
  public List<HostCandidate> candidates() {
    return candidates;
  }
}
