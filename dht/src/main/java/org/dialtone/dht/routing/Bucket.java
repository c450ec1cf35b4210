package org.dialtone.dht.routing;

import java.util.ArrayList;
import java.util.List;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress.Subnet;

/**
 * One k-bucket: up to k contacts in least-recently-seen order, a bounded cache of replacements, the subnet counts of
 * its members and the one liveness check it may have in flight. The {@link RoutingTable} enforces the rules; this
 * class only keeps the state. Lists rather than linked maps: a bucket holds a few dozen entries at most, and a scan
 * of an array beats hashing at that size.
 */
final class Bucket {
  /** A contact in the bucket, with what the table tracks about it. */
  static final class Entry {
    final Contact contact;
    /** The subnet the contact counts against, or null when its address is exempt from the limits. */
    final Subnet limitedSubnet;
    int failures;
    long lastSeenMillis;

    Entry(Contact contact, Subnet limitedSubnet, long lastSeenMillis) {
      this.contact = contact;
      this.limitedSubnet = limitedSubnet;
      this.lastSeenMillis = lastSeenMillis;
    }
  }

  /** A verified contact waiting for room, and when it was last seen. */
  record Replacement(Contact contact, long seenMillis) {}

  // Head (index 0) is the least recently seen contact: the one to check when the bucket is full.
  private final List<Entry> entries = new ArrayList<>();
  // Index 0 is the most recently seen replacement: the first to promote.
  private final List<Replacement> replacements = new ArrayList<>();
  private final SubnetCounts subnets = new SubnetCounts();
  /** The contact whose liveness check is in flight, or null. Always a member of this bucket when set. */
  NodeId pendingCheck;
  long lastTouchedMillis;

  Bucket(long createdAtMillis) {
    this.lastTouchedMillis = createdAtMillis;
  }

  int size() {
    return entries.size();
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  Entry head() {
    return entries.get(0);
  }

  List<Entry> entries() {
    return entries;
  }

  int subnetCount(Subnet subnet) {
    return subnets.count(subnet);
  }

  void addTail(Entry entry) {
    entries.add(entry);
    if (entry.limitedSubnet != null) {
      subnets.increment(entry.limitedSubnet);
    }
  }

  void moveToTail(Entry entry) {
    // Entry does not override equals, so this removes exactly this entry.
    if (entries.get(entries.size() - 1) != entry) {
      entries.remove(entry);
      entries.add(entry);
    }
  }

  void remove(Entry entry) {
    if (entries.remove(entry) && entry.limitedSubnet != null) {
      subnets.decrement(entry.limitedSubnet);
    }
  }

  List<Replacement> replacements() {
    return replacements;
  }

  /** Puts {@code contact} first in the cache, replacing any entry with its id and dropping the oldest when full. */
  void cacheReplacement(Contact contact, long nowMillis, int capacity) {
    removeReplacement(contact.id());
    replacements.add(0, new Replacement(contact, nowMillis));
    while (replacements.size() > capacity) {
      replacements.remove(replacements.size() - 1);
    }
  }

  boolean removeReplacement(NodeId id) {
    for (int i = 0; i < replacements.size(); i++) {
      if (replacements.get(i).contact().id().equals(id)) {
        replacements.remove(i);
        return true;
      }
    }
    return false;
  }
}
