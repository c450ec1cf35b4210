package org.dialtone.dht.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.NodeInfo;
import org.dialtone.dht.net.PeerAddress;
import org.junit.jupiter.api.Test;

class LookupTest {
  private static final PeerAddress ANY = PeerAddress.parse("127.0.0.1:1");

  private static NodeInfo node(NodeId id) {
    return new NodeInfo(id, ANY);
  }

  /**
   * A toy network of {@code n} random ids where every node knows everybody: an answer returns the k closest to
   * the target among all nodes. Nodes in {@code dead} never answer.
   */
  private record World(List<NodeId> ids, Set<NodeId> dead) {
    static World of(int n, double deadShare, Random random) {
      List<NodeId> ids = new ArrayList<>();
      Set<NodeId> dead = new HashSet<>();
      for (int i = 0; i < n; i++) {
        NodeId id = NodeId.random(random);
        ids.add(id);
        if (random.nextDouble() < deadShare) {
          dead.add(id);
        }
      }
      return new World(ids, dead);
    }

    List<NodeInfo> closestTo(NodeId target, int count) {
      return ids.stream().sorted(target.distanceOrder()).limit(count).map(LookupTest::node).toList();
    }

    // What a node with a partial view knows: its own 'count' closest to the target plus a few random ones.
    List<NodeInfo> answer(NodeId self, NodeId target, int count, Random random) {
      List<NodeId> known = ids.stream()
          .sorted(Comparator.comparing((NodeId id) -> id, self.distanceOrder()))
          .limit(40)
          .collect(Collectors.toCollection(ArrayList::new));
      for (int i = 0; i < 10; i++) {
        known.add(ids.get(random.nextInt(ids.size())));
      }
      return known.stream().distinct().sorted(target.distanceOrder()).limit(count).map(LookupTest::node).toList();
    }
  }

  @Property(tries = 200)
  void terminatesWithinAlphaAndNeverAsksTwice(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 5) int alpha,
      @ForAll @IntRange(min = 1, max = 20) int k,
      @ForAll @IntRange(min = 0, max = 40) int deadPercent) {
    Random random = new Random(seed);
    World world = World.of(300, deadPercent / 100.0, random);
    NodeId target = NodeId.random(random);
    List<NodeInfo> seeds = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      seeds.add(node(world.ids().get(random.nextInt(world.ids().size()))));
    }
    Lookup lookup = new Lookup(target, k, alpha, 500, seeds);
    Set<NodeId> asked = new HashSet<>();
    List<NodeInfo> inFlight = new ArrayList<>();
    int steps = 0;
    while (!lookup.isFinished()) {
      List<NodeInfo> next = lookup.next();
      for (NodeInfo n : next) {
        assertTrue(asked.add(n.id()), "asked twice: " + n.id());
      }
      inFlight.addAll(next);
      assertTrue(lookup.inFlight() <= alpha, "more than alpha in flight");
      assertEquals(inFlight.size(), lookup.inFlight());
      assertFalse(inFlight.isEmpty(), "not finished but nothing to do");
      // Answer one in-flight query, in a random order, as replies arrive on a real network.
      NodeInfo n = inFlight.remove(random.nextInt(inFlight.size()));
      if (world.dead().contains(n.id())) {
        lookup.onFailure(n.id());
      } else {
        lookup.onSuccess(n.id(), world.answer(n.id(), target, k, random));
      }
      assertTrue(++steps < 10_000, "lookup did not terminate");
    }
    assertTrue(lookup.next().isEmpty(), "a finished lookup asks nobody");
    List<NodeInfo> found = lookup.closestSucceeded();
    assertTrue(found.size() <= k);
    List<NodeInfo> sorted = new ArrayList<>(found);
    sorted.sort(Comparator.comparing(NodeInfo::id, target.distanceOrder()));
    assertEquals(sorted, found, "results are nearest first");
  }

  /**
   * Disjoint paths with a total budget (a get that stops at its first record): never more than the budget in flight
   * over all paths nor alpha on one, nobody asked twice, and the first round asks the budget's worth of nearest seeds,
   * one per path, as a classic lookup with that alpha would.
   */
  @Property(tries = 200)
  void disjointPathsKeepToTheTotalBudget(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int paths,
      @ForAll @IntRange(min = 1, max = 4) int alpha,
      @ForAll @IntRange(min = 1, max = 6) int budget,
      @ForAll @IntRange(min = 0, max = 40) int deadPercent) {
    Random random = new Random(seed);
    World world = World.of(300, deadPercent / 100.0, random);
    NodeId target = NodeId.random(random);
    List<NodeInfo> seeds = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      seeds.add(node(world.ids().get(random.nextInt(world.ids().size()))));
    }
    LookupRules rules = new LookupRules(paths, 5, Integer.MAX_VALUE, budget, n -> null);
    Lookup lookup = new Lookup(target, 20, alpha, 500, seeds, rules);
    List<NodeInfo> first = lookup.next();
    List<NodeInfo> nearest = seeds.stream().distinct().sorted(Comparator.comparing(NodeInfo::id,
        target.distanceOrder())).limit(Math.min(budget, paths * alpha)).toList();
    assertEquals(new HashSet<>(nearest), new HashSet<>(first), "the first round asks the nearest seeds");
    Set<NodeId> asked = new HashSet<>();
    first.forEach(n -> asked.add(n.id()));
    List<NodeInfo> inFlight = new ArrayList<>(first);
    int steps = 0;
    while (!lookup.isFinished()) {
      assertTrue(lookup.inFlight() <= Math.min(budget, paths * alpha), "over the budget: " + lookup.inFlight());
      assertFalse(inFlight.isEmpty(), "not finished but nothing to do");
      NodeInfo n = inFlight.remove(random.nextInt(inFlight.size()));
      if (world.dead().contains(n.id())) {
        lookup.onFailure(n.id());
      } else {
        lookup.onSuccess(n.id(), world.answer(n.id(), target, 20, random));
      }
      for (NodeInfo next : lookup.next()) {
        assertTrue(asked.add(next.id()), "asked twice: " + next.id());
        inFlight.add(next);
      }
      assertTrue(++steps < 10_000, "lookup did not terminate");
    }
  }

  @Test
  void convergesOnTheTrueClosestWhenEveryoneAnswers() {
    Random random = new Random(7);
    World world = World.of(1000, 0, random);
    for (int trial = 0; trial < 20; trial++) {
      NodeId target = NodeId.random(random);
      Lookup lookup = new Lookup(target, 20, 3, 500, List.of(node(world.ids().get(trial))));
      drive(lookup, world, target, 20, random);
      assertEquals(world.closestTo(target, 20), lookup.closestSucceeded());
      assertTrue(lookup.hops() >= 1);
    }
  }

  @Test
  void failuresAreSkippedAndTheRestStillConverges() {
    Random random = new Random(11);
    World world = World.of(500, 0.3, random);
    NodeId target = NodeId.random(random);
    NodeId seed = world.ids().stream().filter(id -> !world.dead().contains(id)).findFirst().orElseThrow();
    Lookup lookup = new Lookup(target, 20, 3, 500, List.of(node(seed)));
    // With 30% of nodes dead, an answer must name more than k nodes for k live ones to be among them.
    drive(lookup, world, target, 40, random);
    List<NodeInfo> expected = world.ids().stream()
        .filter(id -> !world.dead().contains(id))
        .sorted(target.distanceOrder())
        .limit(20)
        .map(LookupTest::node)
        .toList();
    assertEquals(expected, lookup.closestSucceeded());
    assertTrue(lookup.failed() > 0);
  }

  @Test
  void lateAndUnaskedRepliesChangeNothing() {
    NodeId target = NodeId.zero();
    Random random = new Random(3);
    NodeId a = NodeId.random(random);
    NodeId stranger = NodeId.random(random);
    Lookup lookup = new Lookup(target, 20, 3, 100, List.of(node(a)));
    lookup.onSuccess(stranger, List.of(node(NodeId.random(random))));
    assertEquals(0, lookup.succeeded());
    assertEquals(List.of(node(a)), lookup.next());
    lookup.onFailure(a);
    lookup.onSuccess(a, List.of(node(stranger))); // a reply after the timeout
    assertEquals(0, lookup.succeeded());
    assertTrue(lookup.isFinished());
    assertEquals(0, lookup.hops());
  }

  @Test
  void theQueryCapEndsALookupFedEndlessCandidates() {
    Random random = new Random(5);
    NodeId target = NodeId.random(random);
    Lookup lookup = new Lookup(target, 20, 3, 10, List.of(node(NodeId.random(random))));
    int rounds = 0;
    while (!lookup.isFinished()) {
      for (NodeInfo n : lookup.next()) {
        List<NodeInfo> fresh = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          fresh.add(node(NodeId.random(random)));
        }
        lookup.onSuccess(n.id(), fresh);
      }
      assertTrue(++rounds < 100);
    }
    assertEquals(10, lookup.queried());
  }

  @Test
  void stopEndsAtOnce() {
    Random random = new Random(9);
    Lookup lookup = new Lookup(NodeId.random(random), 20, 3, 100, List.of(node(NodeId.random(random))));
    lookup.stop();
    assertTrue(lookup.isFinished());
    assertTrue(lookup.next().isEmpty());
  }

  private static void drive(Lookup lookup, World world, NodeId target, int answerSize, Random random) {
    List<NodeInfo> inFlight = new ArrayList<>();
    while (!lookup.isFinished()) {
      inFlight.addAll(lookup.next());
      NodeInfo n = inFlight.remove(0);
      if (world.dead().contains(n.id())) {
        lookup.onFailure(n.id());
      } else {
        lookup.onSuccess(n.id(), world.answer(n.id(), target, answerSize, random));
      }
    }
  }
}
