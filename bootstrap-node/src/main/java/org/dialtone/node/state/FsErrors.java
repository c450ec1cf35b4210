package org.dialtone.node.state;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Says why a file operation failed in words a person acts on: Java's {@link FileSystemException}s carry only the
 * path as their message ("/var/lib/dialtone"), which told users where but not why.
 */
public final class FsErrors {
  private FsErrors() {}

  /** {@code path: reason}, e.g. {@code /data/n1: permission denied}. */
  public static String describe(IOException e) {
    if (e instanceof FileSystemException fse) {
      String file = fse.getFile() != null ? fse.getFile() : String.valueOf(fse.getMessage());
      return file + ": " + reason(fse);
    }
    return String.valueOf(e.getMessage());
  }

  private static String reason(FileSystemException e) {
    if (e instanceof AccessDeniedException) {
      Path p = Path.of(e.getFile());
      Path existing = p;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing != null && !Files.isWritable(existing)) {
        return "permission denied (" + (existing.equals(p) ? "it" : existing.toString()) + " is not writable"
            + (readOnlyFs(existing) ? ", on a read-only file system" : "") + ")";
      }
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return Files.isDirectory(Path.of(e.getFile())) ? "already exists" : "is a file, not a directory";
    }
    if (e instanceof NotDirectoryException) {
      return "is a file, not a directory";
    }
    if (e instanceof NoSuchFileException) {
      return "does not exist";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "is a directory that is not empty";
    }
    String reason = e.getReason();
    if (reason != null && reason.toLowerCase(java.util.Locale.ROOT).contains("read-only")) {
      return "read-only file system";
    }
    if (reason != null && !reason.isBlank()) {
      return reason.toLowerCase(java.util.Locale.ROOT);
    }
    return e.getClass().getSimpleName().replace("Exception", "");
  }

  private static boolean readOnlyFs(Path p) {
    try {
      return Files.getFileStore(p).isReadOnly();
    } catch (IOException e) {
      return false;
    }
  }
}
