package org.dialtone.testbed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Node processes spread over a lab's hosts: node j on a host listens on UDP 7440+j and HTTP 8440+j. */
final class Cluster {
  /** Generous: on a 2-core machine shared with other builds a JVM can take a minute to start. */
  static final Duration READY = Duration.ofSeconds(240);
  /** Nodes started at once: a whole cluster at once starves every event loop until bootstraps time out. */
  static final int START_BATCH = 4;
  final Lab lab;
  final List<LabProcess> nodes = new ArrayList<>();

  private Cluster(Lab lab) {
    this.lab = lab;
  }

  /** Starts {@code perHost} nodes on each of {@code hosts}, all joining through the first, and awaits them. */
  static Cluster start(Lab lab, List<String> hosts, int perHost) {
    Cluster c = new Cluster(lab);
    LabHost first = lab.host(hosts.get(0));
    String seed = first.address() + ":7440";
    c.nodes.add(first.startNode("node0", 7440, 8440, List.of()).awaitReady(READY));
    List<LabProcess> batch = new ArrayList<>();
    for (int j = 0; j < perHost; j++) { // node j of every host, then node j+1: each host fills up evenly
      for (String h : hosts) {
        if (h.equals(hosts.get(0)) && j == 0) {
          continue;
        }
        batch.add(lab.host(h).startNode("node" + j, 7440 + j, 8440 + j, List.of(seed)));
        if (batch.size() == START_BATCH) {
          batch.forEach(n -> n.awaitReady(READY));
          c.nodes.addAll(batch);
          batch.clear();
        }
      }
    }
    batch.forEach(n -> n.awaitReady(READY));
    c.nodes.addAll(batch);
    return c;
  }

  static int httpPort(LabProcess node) {
    return 8440 + Integer.parseInt(node.label().replaceAll("\\D", ""));
  }

  /** Starts one more node on {@code host} as node {@code j}, joining through {@code seed}. */
  LabProcess add(String host, int j, String seed) {
    LabProcess p = lab.host(host).startNode("node" + j, 7440 + j, 8440 + j, List.of(seed));
    nodes.add(p);
    return p;
  }

  /** Whether {@code node}'s gateway, looking the number up in the DHT, lists an agent named {@code name}. */
  static boolean sees(LabProcess node, String number, String name) {
    try {
      LabHost h = node.host();
      var reply = h.httpGet(h.address(), httpPort(node), "/dial/" + number, Duration.ofSeconds(30));
      return reply.status() == 200 && reply.body().contains("\"" + name + "\"");
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
