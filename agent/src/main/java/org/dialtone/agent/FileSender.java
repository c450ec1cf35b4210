package org.dialtone.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.dialtone.agent.error.AgentError;
import org.dialtone.agent.wire.Frame;

/**
 * Sends a file on a {@code files} stream: a JSON header {@code {"name", "size"}}, the bytes in 64 KiB DATA frames read
 * from an {@link AsyncFile} that pauses while the connection's send queue is full, then END carrying the SHA-256.
 * The receiver answers END {@code ok} or an error.
 */
final class FileSender {
  static final ObjectMapper JSON = new ObjectMapper();

  private FileSender() {}

  static void send(Vertx vertx, AgentConnection conn, ServiceStream stream, Path file, CompletableFuture<FileReceipt> f) {
    long size;
    MessageDigest sha;
    try {
      size = Files.size(file);
      sha = MessageDigest.getInstance("SHA-256");
      stream.write(JSON.writeValueAsBytes(Map.of("name", file.getFileName().toString(), "size", size)));
    } catch (IOException | NoSuchAlgorithmException e) {
      f.completeExceptionally(e);
      return;
    }
    String name = file.getFileName().toString();
    stream.errorHandler(f::completeExceptionally);
    stream.endHandler(b -> {
      String hex = HexFormat.of().formatHex(b);
      conn.forget(stream.id());
      f.complete(new FileReceipt(name, size, hex));
    });
    vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true).setWrite(false)).onComplete(ar -> {
      if (ar.failed()) {
        stream.fail(AgentError.CLOSED, "sender could not read the file");
        f.completeExceptionally(ar.cause());
        return;
      }
      AsyncFile in = ar.result();
      in.setReadBufferSize(Frame.MAX_BODY);
      in.handler(buf -> {
        byte[] chunk = buf.getBytes();
        sha.update(chunk);
        stream.write(chunk);
        if (conn.writeQueueFull()) {
          in.pause();
          conn.whenDrained(in::resume);
        }
      });
      in.exceptionHandler(e -> {
        stream.fail(AgentError.CLOSED, "sender failed reading the file");
        f.completeExceptionally(e);
      });
      in.endHandler(v -> {
        in.close();
        stream.end(sha.digest());
      });
    });
  }
}
