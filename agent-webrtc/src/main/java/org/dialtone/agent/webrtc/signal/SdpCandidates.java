package org.dialtone.agent.webrtc.signal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.dialtone.agent.reach.signal.Candidate;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.dht.net.PeerAddress;

/**
 * A session description and its ICE candidates, as the web page's {@code dialtone.js} splits and joins them: the
 * candidates travel in the signal's candidate list (addresses), the rest of the description as its payload.
 * Only UDP candidates of component 1 with a literal address are kept (an mDNS name, TCP and RTCP are left out), one
 * per address and port, at most {@link SignalCodec#MAX_CANDIDATES}.
 */
public final class SdpCandidates {
  private static final String CANDIDATE = "a=candidate:";
  private static final String END = "a=end-of-candidates";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:]*");

  private SdpCandidates() {}

  /**
   * A description without its candidate lines, and the candidates it had.
   *
   * @param text the description, lines ending in CRLF, no candidate or end-of-candidates line
   * @param candidates what the candidate lines named, in their order
   */
  public record Split(String text, List<Candidate> candidates) {
    /** Copies. */
    public Split {
      Objects.requireNonNull(text, "text must not be null");
      candidates = List.copyOf(candidates);
    }
  }

  /** Splits {@code sdp} as the page does before it signs. */
  public static Split split(String sdp) {
    List<Candidate> candidates = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (String line : sdp.split("\r\n|\n")) {
      if (line.isEmpty() || line.equals(END)) {
        continue;
      }
      if (!line.startsWith(CANDIDATE)) {
        text.append(line).append("\r\n");
        continue;
      }
      parse(line).filter(c -> !candidates.contains(c) && candidates.size() < SignalCodec.MAX_CANDIDATES)
          .ifPresent(candidates::add);
    }
    return new Split(text.toString(), candidates);
  }

  /** The description with the candidates put back as lines at its end (one media section), as the page does. */
  public static String join(String sdp, List<Candidate> candidates) {
    StringBuilder out = new StringBuilder(sdp);
    if (!sdp.isEmpty() && !sdp.endsWith("\n")) {
      out.append("\r\n");
    }
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      out.append(CANDIDATE).append(i + 1).append(" 1 udp ").append(priority(c.type()) - i).append(' ')
          .append(c.address().host()).append(' ').append(c.address().port())
          .append(" typ ").append(name(c.type()));
      if (c.type() != Candidate.Type.HOST) {
        out.append(" raddr 0.0.0.0 rport 0");
      }
      out.append("\r\n");
    }
    return out.append(END).append("\r\n").toString();
  }

  private static java.util.Optional<Candidate> parse(String line) {
    String[] f = line.substring(CANDIDATE.length()).split(" ");
    if (f.length < 8 || !f[1].equals("1") || !f[2].equalsIgnoreCase("udp") || !f[6].equals("typ")) {
      return java.util.Optional.empty();
    }
    Candidate.Type type = switch (f[7]) {
      case "host" -> Candidate.Type.HOST;
      case "srflx" -> Candidate.Type.REFLEXIVE;
      case "relay" -> Candidate.Type.RELAYED;
      default -> null;
    };
    int port;
    try {
      port = Integer.parseInt(f[5]);
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
    // literal addresses only: an mDNS name (*.local) is not resolved, and nothing here asks DNS
    java.util.Optional<byte[]> ip = literal(f[4]);
    if (type == null || port < 1 || port > 65535 || ip.isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Candidate(type, PeerAddress.of(ip.get(), port)));
  }

  /** The bytes of a literal IPv4 or IPv6 address (the page's parseIp), without any name lookup. */
  static java.util.Optional<byte[]> literal(String s) {
    if (IPV4.matcher(s).matches()) {
      String[] parts = s.split("\\.");
      byte[] out = new byte[4];
      for (int i = 0; i < 4; i++) {
        int v = Integer.parseInt(parts[i]);
        if (v > 255) {
          return java.util.Optional.empty();
        }
        out[i] = (byte) v;
      }
      return java.util.Optional.of(out);
    }
    if (!IPV6.matcher(s).matches() || s.length() > 39) {
      return java.util.Optional.empty();
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return java.util.Optional.empty();
    }
    List<Integer> head = groups(gap >= 0 ? s.substring(0, gap) : s);
    List<Integer> tail = gap >= 0 ? groups(s.substring(gap + 2)) : List.of();
    if (head == null || tail == null || (gap < 0 && head.size() != 8) || (gap >= 0 && head.size() + tail.size() > 7)) {
      return java.util.Optional.empty();
    }
    byte[] out = new byte[16];
    for (int i = 0; i < head.size(); i++) {
      out[2 * i] = (byte) (head.get(i) >> 8);
      out[2 * i + 1] = (byte) (int) head.get(i);
    }
    for (int i = 0; i < tail.size(); i++) {
      int at = 16 - 2 * (tail.size() - i);
      out[at] = (byte) (tail.get(i) >> 8);
      out[at + 1] = (byte) (int) tail.get(i);
    }
    return java.util.Optional.of(out);
  }

  /** Colon-separated groups of 1-4 hex digits; null when one is empty or too long. */
  private static List<Integer> groups(String s) {
    List<Integer> out = new ArrayList<>();
    if (s.isEmpty()) {
      return out;
    }
    for (String g : s.split(":", -1)) {
      if (g.isEmpty() || g.length() > 4) {
        return null;
      }
      out.add(Integer.parseInt(g, 16));
    }
    return out;
  }

  private static long priority(Candidate.Type type) {
    return switch (type) {
      case HOST -> 2130706431L;
      case REFLEXIVE -> 1694498815L;
      case RELAYED -> 16777215L;
    };
  }

  private static String name(Candidate.Type type) {
    return switch (type) {
      case HOST -> "host";
      case REFLEXIVE -> "srflx";
      case RELAYED -> "relay";
    };
  }
}
