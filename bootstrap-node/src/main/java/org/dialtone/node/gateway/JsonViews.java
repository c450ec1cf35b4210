package org.dialtone.node.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.dialtone.resolver.NumberEvent;
import org.dialtone.resolver.NumberListing;
import org.dialtone.resolver.Roster;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.Share;
import org.dialtone.resolver.record.ShareList;

/**
 * The JSON shapes the gateway and {@code --json} print, in one place so both say the same thing. A roster follows the
 * seed's registry entry ({@code agents}, {@code host}, {@code services}) with every agent's full record beside it.
 */
public final class JsonViews {
  public static final ObjectMapper JSON = new ObjectMapper();

  private JsonViews() {}

  /** {@code {number, name, agents: [names], host, hostNames, services, roster: [...], hosts: [...], shares: [...]}}. */
  public static ObjectNode roster(Roster r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("number", r.number().toString());
    r.number().name().ifPresent(n -> o.put("name", n));
    ArrayNode names = o.putArray("agents");
    r.agents().forEach(a -> names.add(a.name()));
    if (r.hosts().isEmpty()) {
      o.putNull("host");
    } else {
      o.put("host", r.hosts().get(0).name());
    }
    ArrayNode hostNames = o.putArray("hostNames"); // every host: "host" is the seed's single field, the first
    r.hosts().forEach(h -> hostNames.add(h.name()));
    ArrayNode services = o.putArray("services");
    r.services().forEach(services::add);
    ArrayNode roster = o.putArray("roster");
    r.agents().forEach(a -> roster.add(agent(a)));
    ArrayNode hosts = o.putArray("hosts");
    r.hosts().forEach(a -> hosts.add(agent(a)));
    ArrayNode shares = o.putArray("shares");
    for (ShareList list : r.shares()) {
      for (Share s : list.shares()) {
        ObjectNode so = share(s);
        so.put("from", list.name());
        so.put("fromAgent", list.sharer().toHex());
        shares.add(so);
      }
    }
    return o;
  }

  public static ObjectNode agent(AgentInfo a) {
    return RecordCodec.agentJson(a);
  }

  public static ArrayNode agents(List<AgentInfo> agents) {
    ArrayNode out = JSON.createArrayNode();
    agents.forEach(a -> out.add(agent(a)));
    return out;
  }

  /** The seed's shape: the numbers as strings, distinct, in order. */
  public static ArrayNode numbers(List<NumberListing> listings) {
    ArrayNode out = JSON.createArrayNode();
    listings.stream().map(l -> l.number().toString()).distinct().forEach(out::add);
    return out;
  }

  /** Every listing with its host, for {@code --json} and {@code ?detail=true}. */
  public static ArrayNode listings(List<NumberListing> listings) {
    ArrayNode out = JSON.createArrayNode();
    for (NumberListing l : listings) {
      ObjectNode o = out.addObject();
      o.put("number", l.number().toString());
      o.set("host", agent(l.host()));
    }
    return out;
  }

  /** {@code [{number, shard, name?, space}]}: for {@code numbers --named}, the numbers given. */
  public static ArrayNode namedNumbers(List<DialNumber> numbers) {
    ArrayNode out = JSON.createArrayNode();
    for (DialNumber n : numbers) {
      ObjectNode o = out.addObject();
      o.put("number", n.toString());
      o.put("shard", n.shard());
      n.name().ifPresent(name -> o.put("name", name));
      o.put("space", n.shard() <= DialNumber.LAST_PRIMARY_SHARD ? "primary" : "extended");
    }
    return out;
  }

  public static ObjectNode share(Share s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("number", s.number().toString());
    o.put("note", s.note());
    ArrayNode i = o.putArray("interests");
    s.interests().forEach(i::add);
    return o;
  }

  /** {@code {type, number, agent: {...}, share: {...}?}}. */
  public static ObjectNode event(NumberEvent e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", e.type().name());
    o.put("number", e.number().toString());
    o.set("agent", agent(e.agent()));
    e.share().ifPresent(s -> o.set("share", share(s)));
    return o;
  }

  public static ObjectNode watching(DialNumber n) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "WATCHING");
    o.put("number", n.toString());
    return o;
  }

  /** {@code {error: CODE, message, reason?}}: what the gateway answers on failure. */
  public static ObjectNode error(String code, String message, String reason) {
    ObjectNode o = JSON.createObjectNode();
    o.put("error", code);
    o.put("message", message);
    if (reason != null) {
      o.put("reason", reason);
    }
    return o;
  }

  public static String write(Object node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing JSON to memory cannot fail", e);
    }
  }

  public static String pretty(Object node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing JSON to memory cannot fail", e);
    }
  }
}
