package org.dialtone.node.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docs as tests: every {@code sh} block of README.md and docs/*.md runs against real processes on loopback (see
 * {@link DocShell}), every {@code java} block compiles (see {@link JavaSnippets}), so the docs cannot drift from the
 * code. Blocks that must not run say so visibly ({@link DocBlock}). Runs in {@code mvn verify} after
 * {@code package}, on the jar users run.
 */
class DocsIT {
  @TempDir static Path work;

  static Path root() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("README.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError("README.md not found above " + System.getProperty("user.dir"));
    }
    return dir;
  }

  static List<String> docs() throws IOException {
    List<String> out = new ArrayList<>(List.of("README.md"));
    try (Stream<Path> s = Files.list(root().resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).map(p -> "docs/" + p.getFileName()).sorted().forEach(out::add);
    }
    return out;
  }

  static Path jar() {
    Path jar = root().resolve("bootstrap-node/target/dialtone.jar");
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(jar + " is missing: this test runs in 'mvn verify' after 'package' builds it");
    }
    return jar;
  }

  @TestFactory
  Stream<DynamicTest> everyShellBlockRuns() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String doc : docs()) {
      List<DocBlock> blocks = DocBlock.read(root(), doc).stream().filter(DocBlock::isShell).toList();
      if (blocks.isEmpty()) {
        continue;
      }
      tests.add(DynamicTest.dynamicTest(doc + " (" + blocks.size() + " shell blocks)", () -> runDoc(doc, blocks)));
    }
    return tests.stream();
  }

  private static void runDoc(String doc, List<DocBlock> blocks) throws Exception {
    assertTrue(commandExists("curl"), "the docs use curl, which is not installed here: install curl");
    Path dir = Files.createDirectories(work.resolve(doc.replace('/', '_')));
    List<DocBlock> runnable = blocks.stream().filter(b -> b.skipReason().isEmpty()).toList();
    try (DocShell shell = new DocShell(dir, jar())) {
      List<DocBlock.Command> all = runnable.stream().flatMap(b -> b.commands().stream()).toList();
      if (DocShell.needsNetwork(all)) {
        shell.startNetwork(doc);
      }
      for (DocBlock b : runnable) {
        for (DocBlock.Command c : b.commands()) {
          shell.run(c);
        }
        shell.endOfBlock();
      }
      shell.endOfDoc();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyJavaBlockCompiles() throws IOException {
    Set<String> packages = JavaSnippets.projectPackages();
    List<DynamicTest> tests = new ArrayList<>();
    for (String doc : docs()) {
      for (DocBlock b : DocBlock.read(root(), doc)) {
        if (b.isJava() && b.skipReason().isEmpty()) {
          tests.add(DynamicTest.dynamicTest(doc + ":" + b.fenceLine(),
              () -> JavaSnippets.compile(b, work.resolve("classes-" + doc.replace('/', '_') + "-" + b.fenceLine()),
                  packages)));
        }
      }
    }
    return tests.stream();
  }

  /** The harness itself: a command that fails is reported with its doc, line, exit code and output. */
  @org.junit.jupiter.api.Test
  void aFailingCommandIsReportedWithItsDocAndLine() throws Exception {
    List<DocBlock> blocks = DocBlock.parse("docs/example.md",
        "Intro\n\n```sh\n./dialtone numbers --named\n./dialtone dial 744-196884-1000\n```\n");
    AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> runDoc("docs/example.md", blocks));
    assertTrue(e.getMessage().startsWith("docs/example.md:5: `./dialtone dial 744-196884-1000` exited 2"),
        e.getMessage());
    assertTrue(e.getMessage().contains("INVALID_NUMBER"), e.getMessage());
  }

  private static boolean commandExists(String name) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "command -v " + name).start();
    return p.waitFor() == 0;
  }
}
