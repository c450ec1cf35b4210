package org.dialtone.node.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's WebSocket watches: at most {@link #maxTotal()} at once, which agrees with the DHT node's own bound
 * (each WebSocket holds two DHT watches: a number's presence and shares keys), and at most {@link #maxPerClient()}
 * per client IP address, so one client cannot take them all (attack 13 of {@code docs/threats.md}). Thread-safe.
 */
final class WatchBudget {
  /** The most WebSocket watches, whatever the DHT allows. */
  static final int MAX_TOTAL = 256;
  /** WebSocket watches one client IP address may hold. */
  static final int DEFAULT_MAX_PER_CLIENT = 8;
  /** DHT watches each WebSocket holds. */
  static final int DHT_WATCHES_PER_SOCKET = 2;

  private final int maxTotal;
  private final int maxPerClient;
  private final Map<String, Integer> perClient = new HashMap<>();
  private int total;

  WatchBudget(int maxTotal, int maxPerClient) {
    if (maxTotal < 1 || maxPerClient < 1) {
      throw new IllegalArgumentException("watch limits must be positive");
    }
    this.maxTotal = maxTotal;
    this.maxPerClient = maxPerClient;
  }

  /** The budget for a node allowing {@code dhtMaxWatches} DHT watches. */
  static WatchBudget forNode(int dhtMaxWatches) {
    return new WatchBudget(Math.max(1, Math.min(MAX_TOTAL, dhtMaxWatches / DHT_WATCHES_PER_SOCKET)),
        DEFAULT_MAX_PER_CLIENT);
  }

  /** Why a watch from {@code client} would be refused now, if it would. */
  synchronized Optional<String> refusal(String client) {
    if (total >= maxTotal) {
      return Optional.of("the gateway holds its " + maxTotal + " watches");
    }
    if (perClient.getOrDefault(client, 0) >= maxPerClient) {
      return Optional.of("this client holds its " + maxPerClient + " watches");
    }
    return Optional.empty();
  }

  /** Takes a watch for {@code client}; false when over a limit. */
  synchronized boolean tryAcquire(String client) {
    if (refusal(client).isPresent()) {
      return false;
    }
    total++;
    perClient.merge(client, 1, Integer::sum);
    return true;
  }

  /** Gives back a watch of {@code client}. */
  synchronized void release(String client) {
    total--;
    perClient.computeIfPresent(client, (k, v) -> v == 1 ? null : v - 1);
  }

  synchronized int total() {
    return total;
  }

  int maxTotal() {
    return maxTotal;
  }

  int maxPerClient() {
    return maxPerClient;
  }
}
