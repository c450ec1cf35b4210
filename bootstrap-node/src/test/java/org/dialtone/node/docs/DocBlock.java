package org.dialtone.node.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fenced code block of a Markdown file: its language, flags ({@code sh no-run}), content lines and where it is.
 *
 * <p>The docs' contract, checked by {@link DocsIT}: every {@code sh} block runs, every {@code java} block compiles.
 * A shell block that must not run in tests (it builds and tests everything, needs root, or another machine) says so
 * where readers see it: its info string is {@code sh no-run} and its first line is a comment
 * {@code # no-run: <why>}. A Java block that is a deliberate fragment is {@code java fragment} with
 * {@code // fragment: <why>} first.
 *
 * @param doc the file, relative to the repository root (for messages)
 * @param fenceLine the 1-based line of the opening fence
 * @param lang the first word of the info string, lower case ("" when none)
 * @param flags the other words of the info string
 * @param lines the content, with the fence's indentation removed
 */
public record DocBlock(String doc, int fenceLine, String lang, Set<String> flags, List<String> lines) {
  private static final Pattern FENCE = Pattern.compile("^( *)(`{3,}|~{3,})\\s*([^`]*)$");

  public DocBlock {
    flags = Set.copyOf(flags);
    lines = List.copyOf(lines);
  }

  /** The 1-based line in the doc of content line {@code index} (0-based). */
  public int lineOf(int index) {
    return fenceLine + 1 + index;
  }

  /** "README.md:45" for content line {@code index}. */
  public String where(int index) {
    return doc + ":" + lineOf(index);
  }

  public boolean isShell() {
    return Set.of("sh", "bash", "shell").contains(lang);
  }

  public boolean isJava() {
    return lang.equals("java");
  }

  /**
   * Why this block is not run or compiled, from its first line, or empty when it is; a {@code no-run} or
   * {@code fragment} block without a reason is an error, so nothing is skipped without saying why.
   */
  public java.util.Optional<String> skipReason() {
    String flag = isShell() ? "no-run" : isJava() ? "fragment" : null;
    if (flag == null || !flags.contains(flag)) {
      return java.util.Optional.empty();
    }
    String comment = isShell() ? "#" : "//";
    String first = lines.isEmpty() ? "" : lines.get(0).strip();
    Matcher m = Pattern.compile("^" + Pattern.quote(comment) + "\\s*" + flag + ":\\s*(\\S.*)$").matcher(first);
    if (!m.matches()) {
      throw new AssertionError(doc + ":" + fenceLine + ": a '" + lang + " " + flag + "' block must say why on its "
          + "first line, as '" + comment + " " + flag + ": <reason>'");
    }
    return java.util.Optional.of(m.group(1));
  }

  /** The fenced blocks of {@code text}, in order. An unclosed fence is an error naming its line. */
  public static List<DocBlock> parse(String doc, String text) {
    List<DocBlock> out = new ArrayList<>();
    String[] all = text.split("\\R", -1);
    for (int i = 0; i < all.length; i++) {
      Matcher open = FENCE.matcher(all[i]);
      if (!open.matches()) {
        continue;
      }
      String indent = open.group(1);
      String fence = open.group(2);
      String[] info = open.group(3).strip().split("\\s+");
      String lang = info[0].toLowerCase(java.util.Locale.ROOT);
      List<String> content = new ArrayList<>();
      int j = i + 1;
      for (; j < all.length; j++) {
        String l = all[j];
        String stripped = l.strip();
        if (stripped.startsWith(fence.substring(0, 3)) && stripped.chars().allMatch(c -> c == fence.charAt(0))
            && stripped.length() >= fence.length()) {
          break;
        }
        content.add(l.startsWith(indent) ? l.substring(indent.length()) : l.stripLeading());
      }
      if (j == all.length) {
        throw new AssertionError(doc + ":" + (i + 1) + ": the code fence is never closed");
      }
      out.add(new DocBlock(doc, i + 1, lang, Set.copyOf(Arrays.asList(info).subList(1, info.length)), content));
      i = j;
    }
    return out;
  }

  /** The blocks of a file under {@code root}. */
  public static List<DocBlock> read(Path root, String relative) throws IOException {
    return parse(relative, Files.readString(root.resolve(relative), StandardCharsets.UTF_8));
  }

  /**
   * The commands of a shell block: comment-only and blank lines dropped, lines ending in a backslash joined, each
   * with the doc line it starts on.
   */
  public List<Command> commands() {
    List<Command> out = new ArrayList<>();
    StringBuilder current = null;
    int start = 0;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (current == null) {
        if (l.isBlank() || l.strip().startsWith("#")) {
          continue;
        }
        current = new StringBuilder();
        start = i;
      }
      if (l.endsWith("\\")) {
        current.append(l, 0, l.length() - 1).append(' ');
      } else {
        current.append(l);
        out.add(new Command(where(start), current.toString().strip()));
        current = null;
      }
    }
    if (current != null) {
      out.add(new Command(where(start), current.toString().strip()));
    }
    return out;
  }

  /** One shell command and where it is written. */
  public record Command(String where, String text) {}
}
