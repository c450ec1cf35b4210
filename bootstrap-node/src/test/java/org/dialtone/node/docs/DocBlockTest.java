package org.dialtone.node.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docs test's parts that need no network: fences, markings, commands, and Java errors at their doc lines. */
class DocBlockTest {
  @TempDir Path out;

  private static final String DOC = String.join("\n",
      "# Title",                                   // 1
      "",                                          // 2
      "```sh",                                     // 3
      "./dialtone dial 744-196884-23   # who",     // 4
      "# a comment",                               // 5
      "./dialtone node --port 7440 \\",            // 6
      "    --http-port 8440",                      // 7
      "```",                                       // 8
      "",                                          // 9
      "```sh no-run",                              // 10
      "# no-run: needs root",                      // 11
      "sudo systemctl start x",                    // 12
      "```",                                       // 13
      "  ```java",                                 // 14
      "  DialNumber n = DialNumber.parse(\"744-196884-23\");", // 15
      "  ```",                                     // 16
      "```json",                                   // 17
      "{}",                                        // 18
      "```");

  @Test
  void blocksKnowTheirLanguageFlagsAndLines() {
    List<DocBlock> blocks = DocBlock.parse("x.md", DOC);
    assertEquals(4, blocks.size());
    DocBlock sh = blocks.get(0);
    assertTrue(sh.isShell());
    assertEquals(List.of(new DocBlock.Command("x.md:4", "./dialtone dial 744-196884-23   # who"),
        new DocBlock.Command("x.md:6", "./dialtone node --port 7440      --http-port 8440")), sh.commands());
    assertEquals(Optional.empty(), sh.skipReason());
    assertEquals(Set.of("no-run"), blocks.get(1).flags());
    assertEquals(Optional.of("needs root"), blocks.get(1).skipReason());
    assertTrue(blocks.get(2).isJava());
    assertEquals("DialNumber n = DialNumber.parse(\"744-196884-23\");", blocks.get(2).lines().get(0));
    assertEquals("json", blocks.get(3).lang());
  }

  @Test
  void aNoRunBlockMustSayWhy() {
    DocBlock b = DocBlock.parse("x.md", "```sh no-run\nmvn verify\n```\n").get(0);
    AssertionError e = assertThrows(AssertionError.class, b::skipReason);
    assertTrue(e.getMessage().startsWith("x.md:1: ") && e.getMessage().contains("# no-run: <reason>"),
        e.getMessage());
  }

  @Test
  void anUnclosedFenceNamesItsLine() {
    AssertionError e = assertThrows(AssertionError.class, () -> DocBlock.parse("x.md", "a\n```sh\nls\n"));
    assertTrue(e.getMessage().startsWith("x.md:2: "), e.getMessage());
  }

  @Test
  void aSnippetCompilesWithTheProjectImported() throws Exception {
    DocBlock ok = DocBlock.parse("x.md", DOC).get(2);
    JavaSnippets.compile(ok, out.resolve("ok"), JavaSnippets.projectPackages());
  }

  @Test
  void aJavaErrorNamesTheDocLine() throws Exception {
    DocBlock bad = DocBlock.parse("y.md", "text\n```java\nimport java.util.List;\n\nList<String> l = List.of();\n"
        + "l.nosuchMethod();\n```\n").get(0);
    AssertionError e = assertThrows(AssertionError.class,
        () -> JavaSnippets.compile(bad, out.resolve("bad"), JavaSnippets.projectPackages()));
    assertTrue(e.getMessage().contains("y.md:6: "), e.getMessage());
    assertTrue(e.getMessage().contains("nosuchMethod"), e.getMessage());
  }

  @Test
  void aWholeProgramCompilesAsItsOwnFile() throws Exception {
    DocBlock program = DocBlock.parse("z.md", "```java\nimport java.util.List;\n\npublic class Hello {\n"
        + "  public static void main(String[] args) {\n    System.out.println(List.of(1));\n  }\n}\n```\n").get(0);
    JavaSnippets.compile(program, out.resolve("program"), JavaSnippets.projectPackages());
    assertTrue(java.nio.file.Files.exists(out.resolve("program/Hello.class")));
  }
}
