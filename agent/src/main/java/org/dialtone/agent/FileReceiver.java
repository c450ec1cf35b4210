package org.dialtone.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Consumer;
import org.dialtone.agent.error.AgentError;

/**
 * Receives one file on a {@code files} stream: header, then chunks appended to an {@link AsyncFile} (reading from
 * the socket pauses while the disk is behind), then END with the sender's SHA-256, compared with the one computed
 * here. A file that does not match is deleted and the sender gets FILE_CORRUPT.
 */
final class FileReceiver {
  private static final System.Logger LOG = System.getLogger(FileReceiver.class.getName());

  private final ServiceStream stream;
  private final AgentConnection conn;
  private final Path directory;
  private final Consumer<ReceivedFile> onFile;
  private final MessageDigest sha;
  private String name;
  private long size = -1;
  private long received;
  private Path target;
  private AsyncFile out;

  private FileReceiver(ServiceStream stream, Path directory, Consumer<ReceivedFile> onFile) {
    this.stream = stream;
    this.conn = stream.connection();
    this.directory = directory;
    this.onFile = onFile;
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void accept(ServiceStream stream, Path directory, Consumer<ReceivedFile> onFile) {
    FileReceiver r = new FileReceiver(stream, directory, onFile);
    stream.handler(r::onData).endHandler(r::onEnd).errorHandler(e -> r.abort());
  }

  private void onData(byte[] b) {
    if (size < 0) {
      header(b);
      return;
    }
    if (out == null || received + b.length > size) {
      stream.fail(AgentError.FILE_CORRUPT, "more bytes than announced");
      abort();
      return;
    }
    received += b.length;
    sha.update(b);
    out.write(Buffer.buffer(b));
    if (out.writeQueueFull()) {
      conn.pauseReading();
      out.drainHandler(v -> conn.resumeReading());
    }
  }

  private void header(byte[] b) {
    try {
      JsonNode h = FileSender.JSON.readTree(b);
      name = Path.of(h.path("name").asText("file")).getFileName().toString();
      size = h.path("size").asLong(-1);
    } catch (Exception e) {
      size = -1;
    }
    if (size < 0 || name.isEmpty() || name.startsWith(".")) {
      stream.fail(AgentError.MALFORMED_FRAME, "bad file header");
      return;
    }
    if (size > conn.options().maxFileBytes()) {
      stream.fail(AgentError.FRAME_TOO_LARGE, "file of " + size + " bytes is over the limit");
      return;
    }
    target = directory.resolve(UUID.randomUUID() + "-" + name);
    conn.pauseReading(); // until the file is open
    Vertx.currentContext().owner().fileSystem()
        .open(target.toString(), new OpenOptions().setWrite(true).setCreateNew(true)).onComplete(ar -> {
          conn.resumeReading();
          if (ar.failed()) {
            stream.fail(AgentError.CLOSED, "receiver cannot write the file");
            return;
          }
          out = ar.result();
        });
  }

  private void onEnd(byte[] digest) {
    if (out == null) {
      stream.fail(AgentError.FILE_CORRUPT, "END before the file");
      return;
    }
    byte[] mine = sha.digest();
    AsyncFile file = out;
    out = null;
    file.close().onComplete(ar -> {
      if (received != size || !MessageDigest.isEqual(mine, digest) || ar.failed()) {
        LOG.log(Level.WARNING, "file {0} from {1} corrupt: {2}/{3} bytes", name, conn, received, size);
        deleteQuietly();
        stream.fail(AgentError.FILE_CORRUPT, "SHA-256 or size mismatch");
        return;
      }
      stream.end(mine);
      conn.forget(stream.id());
      onFile.accept(new ReceivedFile(conn.peer(), name, target, size, HexFormat.of().formatHex(mine)));
    });
  }

  private void abort() {
    if (out != null) {
      AsyncFile file = out;
      out = null;
      file.close().onComplete(ar -> deleteQuietly());
    }
  }

  private void deleteQuietly() {
    try {
      java.nio.file.Files.deleteIfExists(target);
    } catch (java.io.IOException e) {
      // best effort
    }
  }

}
