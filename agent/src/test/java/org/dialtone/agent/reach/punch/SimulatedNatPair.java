package org.dialtone.agent.reach.punch;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.time.VirtualScheduler;

/**
 * Two agents behind simulated NATs on virtual time, for punch tests. A CONSISTENT NAT is a port-restricted cone
 * (one public port per socket; inbound only from an address that socket sent to); a RANDOM NAT is symmetric (a new
 * random public port per socket and destination; the same filter). A probe takes {@code oneWayMillis}; a low-TTL
 * probe opens the sender's mapping and goes no further.
 */
final class SimulatedNatPair {
  final VirtualScheduler time = new VirtualScheduler(VirtualScheduler.DEFAULT_EPOCH_MILLIS);
  final Side a;
  final Side b;
  private final long oneWayMillis;

  SimulatedNatPair(NatType natA, NatType natB, long oneWayMillis, long seed) {
    this.oneWayMillis = oneWayMillis;
    Random random = new Random(seed);
    a = new Side(natA, new byte[] {(byte) 198, 51, 100, 1}, random);
    b = new Side(natB, new byte[] {(byte) 203, 0, 113, 2}, random);
    a.peer = b;
    b.peer = a;
  }

  /** A puncher for each side, each told what a node reported of the other (verified). */
  void punchers(PunchBudget budget, long seed) {
    a.puncher = new HolePuncher(time, a, budget, new Random(seed * 31 + 1), a.type, b.asRemote());
    b.puncher = new HolePuncher(time, b, budget, new Random(seed * 31 + 2), b.type, a.asRemote());
  }

  final class Side implements ProbeIo {
    final NatType type;
    final byte[] publicIp;
    private final Random random;
    private final Map<Integer, Integer> conePort = new HashMap<>();
    private final Map<String, Integer> symmetricPort = new HashMap<>();
    private final Map<Integer, Integer> socketOfPort = new HashMap<>();
    private final Set<String> allowed = new HashSet<>();
    final Set<Integer> open = new HashSet<>(Set.of(HolePuncher.MAIN_SOCKET));
    int maxSockets = 2048;
    int nextSocket = 1;
    int delivered;
    Side peer;
    HolePuncher puncher;

    Side(NatType type, byte[] publicIp, Random random) {
      this.type = type;
      this.publicIp = publicIp;
      this.random = random;
    }

    /** What a node sees of the main socket: the cone mapping, or the host alone for a symmetric NAT. */
    RemotePeer asRemote() {
      int port = type == NatType.RANDOM ? 0 : mapping(HolePuncher.MAIN_SOCKET, null);
      return new RemotePeer(type, List.of(PeerAddress.of(publicIp, port)), true);
    }

    private int mapping(int socket, PeerAddress to) {
      if (type == NatType.RANDOM) {
        return symmetricPort.computeIfAbsent(socket + ">" + to, k -> freshPort(socket));
      }
      return conePort.computeIfAbsent(socket, s -> freshPort(s));
    }

    private int freshPort(int socket) {
      int port;
      do {
        port = 1024 + random.nextInt(65536 - 1024);
      } while (socketOfPort.containsKey(port));
      socketOfPort.put(port, socket);
      return port;
    }

    @Override
    public OptionalInt openSocket() {
      if (open.size() >= maxSockets) {
        return OptionalInt.empty();
      }
      open.add(nextSocket);
      return OptionalInt.of(nextSocket++);
    }

    @Override
    public void sendProbe(int socket, PeerAddress to, boolean lowTtl) {
      if (!open.contains(socket)) {
        throw new AssertionError("probe from closed socket " + socket);
      }
      int port = mapping(socket, to);
      allowed.add(port + "<" + to);
      if (!lowTtl) {
        PeerAddress from = PeerAddress.of(publicIp, port);
        time.schedule(oneWayMillis, () -> peer.arrive(from, to));
      }
    }

    private void arrive(PeerAddress from, PeerAddress to) {
      if (!java.util.Arrays.equals(to.ipBytes(), publicIp)) {
        return;
      }
      Integer socket = socketOfPort.get(to.port());
      if (socket == null || !allowed.contains(to.port() + "<" + from) || !open.contains(socket)) {
        return;
      }
      delivered++;
      if (puncher != null) {
        puncher.onProbe(socket, from);
      }
    }

    @Override
    public void closeSocket(int socket) {
      if (socket == HolePuncher.MAIN_SOCKET || !open.remove(socket)) {
        throw new AssertionError("closed socket " + socket + " twice, or the main socket");
      }
    }
  }
}
