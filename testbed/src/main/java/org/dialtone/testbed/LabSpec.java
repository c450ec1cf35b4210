package org.dialtone.testbed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A lab as data: public hosts on the internet, home routers (each with a NAT type) and the hosts on their LANs, and
 * what each line to the internet does. Built with {@link #builder()}:
 * <pre>{@code
 * LabSpec spec = LabSpec.builder().links(LinkSpec.delay(40, 10).withLoss(5))
 *     .publicHosts("boot1", "boot2").router("home", NatType.CONE).lanHost("alice", "home").build();
 * }</pre>
 */
public record LabSpec(List<Machine> machines, LinkSpec defaultLink, Map<String, LinkSpec> links, long seed) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,11}");

  /** One namespace of the lab. */
  public sealed interface Machine permits PublicHost, Router, LanHost {
    String name();
  }

  /**
   * A host with an address on the internet: IPv4 (10.77.0.0/16), IPv6 (a unique local address in fd77::/16, its own
   * /64 in the /48 {@code fd77:<site>:0::/48}), or both. {@code site} 0 gives the host a /48 of its own; hosts given the
   * same site share one /48 (one operator's network, for tests of the per-/48 limits).
   */
  public record PublicHost(String name, Family family, int site) implements Machine {
    /** An IPv4-only host. */
    public PublicHost(String name) {
      this(name, Family.IPV4, 0);
    }

    public PublicHost {
      java.util.Objects.requireNonNull(family, "family");
      if (site < 0 || site > 0xfff) {
        throw new IllegalArgumentException("site " + site + " is not 0..4095");
      }
    }
  }

  /** Which IP families a public host has on the internet. */
  public enum Family {
    IPV4, IPV6, DUAL;

    public boolean hasIpv4() {
      return this != IPV6;
    }

    public boolean hasIpv6() {
      return this != IPV4;
    }
  }

  /** A home router: its WAN side is on the internet, its LAN is 192.168.x.0/24 behind {@code nat}. */
  public record Router(String name, NatType nat) implements Machine {}

  /** A host on {@code router}'s LAN. */
  public record LanHost(String name, String router) implements Machine {}

  public LabSpec {
    machines = List.copyOf(machines);
    links = Map.copyOf(links);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The line of a public host or a router to the internet. */
  public LinkSpec link(String machine) {
    return links.getOrDefault(machine, defaultLink);
  }

  public Optional<Machine> machine(String name) {
    return machines.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** Builds a {@link LabSpec}; names are 1 to 12 of [a-z0-9], starting with a letter, unique. */
  public static final class Builder {
    private final List<Machine> machines = new ArrayList<>();
    private final Map<String, LinkSpec> links = new LinkedHashMap<>();
    private LinkSpec defaultLink = LinkSpec.IDEAL;
    private long seed = 1;

    public Builder publicHosts(String... names) {
      for (String n : names) {
        add(new PublicHost(n));
      }
      return this;
    }

    /** Public hosts with only an IPv6 address (each its own /48). */
    public Builder ipv6Hosts(String... names) {
      for (String n : names) {
        add(new PublicHost(n, Family.IPV6, 0));
      }
      return this;
    }

    /** Public hosts with an IPv4 and an IPv6 address (each its own /48). */
    public Builder dualStackHosts(String... names) {
      for (String n : names) {
        add(new PublicHost(n, Family.DUAL, 0));
      }
      return this;
    }

    /** IPv6-only public hosts that share the /48 {@code fd77:<site>:0::/48} (1..4095), each on its own /64. */
    public Builder ipv6Site(int site, String... names) {
      if (site < 1) {
        throw new IllegalArgumentException("a shared site is 1..4095, got " + site);
      }
      for (String n : names) {
        add(new PublicHost(n, Family.IPV6, site));
      }
      return this;
    }

    public Builder router(String name, NatType nat) {
      return add(new Router(name, nat));
    }

    public Builder lanHost(String name, String router) {
      boolean known = machines.stream().anyMatch(m -> m instanceof Router r && r.name().equals(router));
      if (!known) {
        throw new IllegalArgumentException("no router named " + router + " (declare it before its hosts)");
      }
      return add(new LanHost(name, router));
    }

    /** The line every public host and router gets unless {@link #link(String, LinkSpec)} says otherwise. */
    public Builder links(LinkSpec link) {
      this.defaultLink = link;
      return this;
    }

    public Builder link(String machine, LinkSpec link) {
      links.put(machine, link);
      return this;
    }

    /** Seeds the links' jitter and reordering. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    private Builder add(Machine m) {
      if (!NAME.matcher(m.name()).matches()) {
        throw new IllegalArgumentException("bad name '" + m.name() + "': 1-12 of [a-z0-9], starting with a letter");
      }
      if (machines.stream().anyMatch(x -> x.name().equals(m.name()))) {
        throw new IllegalArgumentException("duplicate name " + m.name());
      }
      machines.add(m);
      return this;
    }

    public LabSpec build() {
      for (String n : links.keySet()) {
        boolean online = machines.stream().anyMatch(m -> m.name().equals(n) && !(m instanceof LanHost));
        if (!online) {
          throw new IllegalArgumentException("link for " + n + ": no public host or router of that name");
        }
      }
      return new LabSpec(machines, defaultLink, links, seed);
    }
  }
}
