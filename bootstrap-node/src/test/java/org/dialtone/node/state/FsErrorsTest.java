package org.dialtone.node.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file error says where and why, not just where. */
class FsErrorsTest {
  @TempDir Path dir;

  @Test
  void aDataDirectoryThatIsAFileSaysSo() throws Exception {
    Path file = Files.writeString(dir.resolve("n1"), "x");
    IOException e = assertThrows(IOException.class, () -> new DataDir(file).identity());
    assertEquals(file + ": is a file, not a directory", FsErrors.describe(e));
    IOException below = assertThrows(IOException.class, () -> new DataDir(file.resolve("sub")).identity());
    assertTrue(FsErrors.describe(below).endsWith("is a file, not a directory")
        || FsErrors.describe(below).endsWith("not a directory"), FsErrors.describe(below));
  }

  @Test
  void permissionAndReadOnlyAreNamed() {
    assertTrue(FsErrors.describe(new AccessDeniedException(dir.resolve("x").toString()))
        .startsWith(dir.resolve("x") + ": permission denied"));
    assertEquals("/mnt/ro/x: read-only file system",
        FsErrors.describe(new FileSystemException("/mnt/ro/x", null, "Read-only file system")));
    assertEquals("/a: does not exist", FsErrors.describe(new java.nio.file.NoSuchFileException("/a")));
  }
}
