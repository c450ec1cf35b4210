package org.dialtone.node.cli;

import java.util.List;
import org.dialtone.resolver.NumberEvent;
import org.dialtone.resolver.NumberListing;
import org.dialtone.resolver.Roster;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.Share;
import org.dialtone.resolver.record.ShareList;

/** Readable output for people (the {@code --json} output is {@link org.dialtone.node.gateway.JsonViews}). */
public final class Text {
  private Text() {}

  public static String roster(Roster r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.number()).append(r.number().name().map(n -> " (" + n + ")").orElse(""))
        .append(": ").append(r.agents().size()).append(r.agents().size() == 1 ? " agent" : " agents").append('\n');
    for (AgentInfo a : r.agents()) {
      sb.append("  ").append(agentLine(a)).append('\n');
    }
    if (!r.hosts().isEmpty()) {
      // Names can be copied by anyone: each host is shown with its full key, and several hosts are called out.
      sb.append("  host: ").append(String.join(", ", r.hosts().stream()
              .map(h -> h.name() + " (" + h.agent().toHex() + ")").toList()))
          .append("   services: ").append(r.services().isEmpty() ? "-" : String.join(", ", r.services()))
          .append('\n');
      if (r.hosts().size() > 1) {
        sb.append("  warning: ").append(r.hosts().size()).append(" agents host this number; check the keys\n");
      }
    }
    for (ShareList list : r.shares()) {
      for (Share s : list.shares()) {
        sb.append("  ").append(list.name()).append(" recommends ").append(share(s)).append('\n');
      }
    }
    return sb.toString();
  }

  public static String agentLine(AgentInfo a) {
    return String.format("%-20s %s  %-6s%s%s", a.name(), a.agent().toHex().substring(0, 8),
        a.role().name().toLowerCase(),
        a.services().isEmpty() ? "" : "  services=" + String.join(",", a.services()),
        a.endpoints().isEmpty() ? "" : "  " + String.join(" ", a.endpoints()));
  }

  public static String agentDetail(AgentInfo a) {
    return a.name() + "\n  key:       " + a.agent().toHex()
        + "\n  numbers:   " + String.join(", ", a.numbers().stream().map(Object::toString).toList())
        + "\n  endpoints: " + (a.endpoints().isEmpty() ? "-" : String.join(", ", a.endpoints()))
        + "\n  interests: " + (a.interests().isEmpty() ? "-" : String.join(", ", a.interests())) + "\n";
  }

  public static String agents(String what, List<AgentInfo> agents) {
    StringBuilder sb = new StringBuilder(agents.size() + " " + (agents.size() == 1 ? "agent" : "agents") + " "
        + what + "\n");
    for (AgentInfo a : agents) {
      sb.append("  ").append(String.format("%-20s %s  on %s", a.name(), a.agent().toHex().substring(0, 8),
          String.join(", ", a.numbers().stream().map(Object::toString).toList()))).append('\n');
    }
    return sb.toString();
  }

  public static String listings(String service, List<NumberListing> listings) {
    StringBuilder sb = new StringBuilder(listings.size() + " " + (listings.size() == 1 ? "number" : "numbers")
        + " with " + service + "\n");
    for (NumberListing l : listings) {
      sb.append("  ").append(l.number()).append("  hosted by ").append(l.host().name()).append(" (")
          .append(l.host().agent().toHex(), 0, 8).append(")").append('\n');
    }
    return sb.toString();
  }

  public static String share(Share s) {
    return s.number() + (s.note().isEmpty() ? "" : " \"" + s.note() + "\"")
        + (s.interests().isEmpty() ? "" : " [" + String.join(", ", s.interests()) + "]");
  }

  /** The primary shards 0..70 and the named numbers above them, one per line, with their names. */
  public static String namedNumbers() {
    StringBuilder sb = new StringBuilder("The primary shards 744-196884-0..70, and the named numbers past them. "
        + "Shards 71..999 are the extended space: usable by anyone, unnamed.\n");
    for (DialNumber n : NamedList.numbers()) {
      sb.append(String.format("  %-16s %s%n", n, n.name().orElse("")));
    }
    return sb.toString();
  }

  public static String event(NumberEvent e) {
    return String.format("%-7s %s  %s (%s)%s", e.type(), e.number(), e.agent().name(),
        e.agent().agent().toHex().substring(0, 8), switch (e.type()) {
          case SHARED -> e.share().map(s -> " recommends " + share(s)).orElse("");
          case HOSTING -> " hosts " + String.join(", ", e.agent().services());
          default -> "";
        });
  }
}
