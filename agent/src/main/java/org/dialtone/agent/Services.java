package org.dialtone.agent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The built-in services: {@code chat} and {@code files}. */
public final class Services {
  /** The chat service's name. */
  public static final String CHAT = "chat";
  /** The file service's name. */
  public static final String FILES = "files";

  private Services() {}

  /** Chat: each DATA frame is one UTF-8 message, handed to the connection's {@link AgentConnection#onChat} listener. */
  public static Service chat() {
    return stream -> stream.handler(b -> stream.connection().deliverChat(new String(b, StandardCharsets.UTF_8)));
  }

  /**
   * Files: receives files of any size into {@code directory}, streamed to disk (never whole in memory), checked by
   * SHA-256 at the end; {@code onFile} hears each file that arrived intact.
   */
  public static Service files(Path directory, Consumer<ReceivedFile> onFile) {
    return stream -> FileReceiver.accept(stream, directory, onFile);
  }
}
