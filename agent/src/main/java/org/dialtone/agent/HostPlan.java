package org.dialtone.agent;

import java.util.List;
import java.util.Objects;

/**
 * How {@link Agent#host(org.dialtone.resolver.number.DialNumber, HostPlan)} makes a hosted number reachable.
 *
 * @param port the local port to listen on (0: any free one)
 * @param relays relays to try in order ({@code ws://host:port}); empty: publish the listening address as it is
 * @param tryDirect ask the first relay that answers to dial back the listening port at our observed address, and
 *     publish that address when the dial-back reaches us (reachable agents stay direct); false: always relay
 */
public record HostPlan(int port, List<String> relays, boolean tryDirect) {
  /** Copies and checks. */
  public HostPlan {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    relays = List.copyOf(Objects.requireNonNull(relays, "relays"));
  }

  /** Listen on {@code port} and publish it (the host is reachable there). */
  public static HostPlan direct(int port) {
    return new HostPlan(port, List.of(), false);
  }

  /** Direct if a relay's dial-back reaches {@code port}, else reached through the first relay that reserves. */
  public static HostPlan auto(int port, List<String> relays) {
    return new HostPlan(port, relays, true);
  }

  /** Always through the first of {@code relays} that reserves. */
  public static HostPlan relayed(int port, List<String> relays) {
    return new HostPlan(port, relays, false);
  }
}
