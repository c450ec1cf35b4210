package org.dialtone.agent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The built-in services: {@code chat}, {@code echo} and {@code files}. */
public final class Services {
  /** The chat service's name. */
  public static final String CHAT = "chat";
  /** The file service's name. */
  public static final String FILES = "files";
  /** The echo service's name. */
  public static final String ECHO = "echo";

  private Services() {}

  /** Chat: each DATA frame is one UTF-8 message, handed to the connection's {@link AgentConnection#onChat} listener. */
  public static Service chat() {
    return stream -> stream.handler(b -> stream.connection().deliverChat(new String(b, StandardCharsets.UTF_8)));
  }

  /**
   * Echo: sends every DATA frame back on the same stream, and answers END with END (same trailer). It stops reading
   * while the send queue is full, so a peer that does not read what comes back stops itself, not our memory.
   */
  public static Service echo() {
    return stream -> {
      stream.handler(b -> {
        stream.write(b);
        if (stream.writeQueueFull()) {
          stream.pause();
          stream.connection().whenDrained(stream::resume);
        }
      });
      stream.endHandler(stream::end);
    };
  }

  /**
   * Files: receives files of any size into {@code directory}, streamed to disk (never whole in memory), checked by
   * SHA-256 at the end; {@code onFile} hears each file that arrived intact.
   */
  public static Service files(Path directory, Consumer<ReceivedFile> onFile) {
    return files(directory, FilePolicy.defaults(), onFile);
  }

  /**
   * Files, within {@code policy}'s quotas: bytes in total and per peer, files at once, free space kept, and
   * optionally only from listed keys. A file over a quota is refused when its header arrives, before anything is
   * written, and the sender's future fails with {@link AgentError#QUOTA_EXCEEDED} or {@link AgentError#NOT_ALLOWED}.
   */
  public static Service files(Path directory, FilePolicy policy, Consumer<ReceivedFile> onFile) {
    FileQuota quota = new FileQuota(policy, () -> usableSpace(directory));
    return stream -> FileReceiver.accept(stream, directory, quota, onFile);
  }

  private static long usableSpace(Path directory) {
    try {
      return java.nio.file.Files.getFileStore(directory).getUsableSpace();
    } catch (java.io.IOException e) {
      return 0; // unknown: refuse rather than fill a disk we cannot measure
    }
  }
}
