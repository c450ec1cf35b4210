package org.dialtone.node.docs;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a doc's Java block against the test classpath with javax.tools. A block with a top-level type
 * ({@code class}, {@code record}...) is compiled as a source file; any other block as the body of a method that may
 * throw. Either way the block's own imports are kept, and every public package of the project
 * ({@code org.dialtone...}, found on the classpath) plus {@code java.util}, {@code java.util.concurrent},
 * {@code java.nio.file}, {@code java.time} and Vert.x's {@code Vertx} are imported, so a short snippet needs no
 * import lines to compile. Errors name the doc line.
 */
final class JavaSnippets {
  private static final Pattern TOP_LEVEL_TYPE =
      Pattern.compile("(?m)^(?:public\\s+|final\\s+|abstract\\s+|sealed\\s+)*(class|record|interface|enum)\\s+(\\w+)");
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile("(?m)^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");
  private static final Set<String> EXCLUDED = Set.of("org.dialtone.node.cli"); // the CLI's internals

  private JavaSnippets() {}

  /**
   * The project's packages on the classpath that hold classes (a package with only a package-info, such as one whose
   * classes are all in subpackages, cannot be imported on demand).
   */
  static Set<String> projectPackages() throws IOException {
    Set<String> out = new TreeSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p.resolve("org/dialtone"))) {
        try (Stream<Path> s = Files.walk(p.resolve("org/dialtone"))) {
          s.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().equals("package-info.class"))
              .forEach(f -> out.add(p.relativize(f.getParent())
              .toString().replace(File.separatorChar, '.')));
        }
      } else if (entry.endsWith(".jar") && p.getFileName().toString().startsWith("dialtone-") && Files.exists(p)) {
        try (JarFile jar = new JarFile(p.toFile())) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            if (n.startsWith("org/dialtone/") && n.endsWith(".class") && !n.endsWith("/package-info.class")) {
              out.add(n.substring(0, n.lastIndexOf('/')).replace('/', '.'));
            }
          }
        }
      }
    }
    out.removeAll(EXCLUDED);
    return out;
  }

  /** Compiles {@code block} into {@code outDir}; fails with the compiler's errors at their doc lines. */
  static void compile(DocBlock block, Path outDir, Set<String> packages) throws IOException {
    List<String> imports = new ArrayList<>();
    List<String> body = new ArrayList<>();
    int firstBodyLine = 0;
    boolean inImports = true;
    for (int i = 0; i < block.lines().size(); i++) {
      String l = block.lines().get(i);
      if (inImports && (l.startsWith("import ") || l.isBlank() || l.strip().startsWith("//"))) {
        imports.add(l);
        continue;
      }
      if (inImports) {
        inImports = false;
        firstBodyLine = i;
      }
      body.add(l);
    }
    StringBuilder header = new StringBuilder();
    for (String p : packages) {
      header.append("import ").append(p).append(".*;\n");
    }
    header.append("import java.util.*;\nimport java.util.concurrent.*;\nimport java.nio.file.*;\n"
        + "import java.time.*;\nimport io.vertx.core.Vertx;\n");
    String bodyText = String.join("\n", body);
    boolean wholeTypes = TOP_LEVEL_TYPE.matcher(bodyText).find();
    String className;
    StringBuilder src = new StringBuilder(header);
    // The block's imports keep their lines; the header's lines come first, so a block line's number is an offset.
    src.append(String.join("\n", imports)).append('\n');
    int bodyStartSourceLine = src.toString().split("\n", -1).length;
    if (wholeTypes) {
      Matcher pub = PUBLIC_TYPE.matcher(bodyText);
      className = pub.find() ? pub.group(1) : "DocSnippet" + block.fenceLine();
      src.append(bodyText).append('\n');
    } else {
      className = "DocSnippet" + block.fenceLine();
      bodyStartSourceLine++;
      src.append("final class ").append(className).append(" {\n  @SuppressWarnings(\"unused\")\n")
          .append("  void snippet() throws Exception {\n").append(bodyText).append("\n  }\n}\n");
      bodyStartSourceLine += 2;
    }
    int offset = bodyStartSourceLine;
    int docBodyIndex = firstBodyLine;
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new AssertionError("no Java compiler in this runtime (" + System.getProperty("java.home")
          + "): the docs test needs a JDK, not a JRE");
    }
    DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
    JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return src;
      }
    };
    Files.createDirectories(outDir);
    try (StandardJavaFileManager fm = compiler.getStandardFileManager(diags, Locale.ROOT, null)) {
      List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", outDir.toString(),
          "-proc:none", "-nowarn", "-Xlint:none");
      StringWriter out = new StringWriter();
      boolean ok = compiler.getTask(out, fm, diags, options, null, List.of(file)).call();
      if (!ok) {
        StringBuilder sb = new StringBuilder(block.doc() + ":" + block.fenceLine() + ": the java block does not "
            + "compile (mark a deliberate fragment 'java fragment' with '// fragment: <why>' first)\n");
        for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
          if (d.getKind() != Diagnostic.Kind.ERROR) {
            continue;
          }
          long line = d.getLineNumber();
          String where = line >= offset ? block.where((int) (line - offset) + docBodyIndex)
              : block.doc() + ":" + block.fenceLine() + " (an import)";
          sb.append("  ").append(where).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
        }
        throw new AssertionError(sb.toString());
      }
    }
  }
}
