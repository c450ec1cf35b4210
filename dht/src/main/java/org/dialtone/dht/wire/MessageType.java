package org.dialtone.dht.wire;

import static org.dialtone.dht.wire.WireKeys.K_ERROR_CODE;
import static org.dialtone.dht.wire.WireKeys.K_OBSERVED;
import static org.dialtone.dht.wire.WireKeys.K_OFFSET;
import static org.dialtone.dht.wire.WireKeys.K_PUBLIC_KEY;
import static org.dialtone.dht.wire.WireKeys.K_RECORD;
import static org.dialtone.dht.wire.WireKeys.K_SIGNAL;
import static org.dialtone.dht.wire.WireKeys.K_TARGET;
import static org.dialtone.dht.wire.WireKeys.K_TOKEN;
import static org.dialtone.dht.wire.WireKeys.K_TOTAL;
import static org.dialtone.dht.wire.WireKeys.K_TTL;
import static org.dialtone.dht.wire.WireKeys.K_WANT_NODES;

import java.util.Optional;

/**
 * The table of message types: each type's number on the wire (key 1), whether it is a request or a response, and
 * the keys a decoder requires beyond version, type and txId (a response always requires its responder, key 3).
 * Optional keys are not listed: a missing one decodes as empty. The names are those of {@code docs/protocol.md}.
 *
 * <p>Adding a message type: a constant here, a record in {@link Message} (its {@code type()} and {@code accept}),
 * and a method in its {@code Visitor}; the compiler then points at every place that must handle it.
 */
public enum MessageType {
  PING(1, true),
  PONG(2, false, K_OBSERVED),
  FIND_NODE(3, true, K_TARGET),
  NODES(4, false, K_TOKEN),
  FIND_VALUE(5, true, K_TARGET, K_OFFSET, K_WANT_NODES),
  VALUES(6, false, K_TOKEN, K_TOTAL, K_OFFSET),
  STORE(7, true, K_TOKEN, K_RECORD),
  STORE_ACK(8, false),
  ERROR(9, false, K_ERROR_CODE),
  SUBSCRIBE(10, true, K_TARGET, K_TOKEN, K_TTL),
  SUBSCRIBED(11, false, K_TTL),
  NOTIFY(12, true, K_PUBLIC_KEY, K_RECORD),
  NOTIFY_ACK(13, false),
  SIGNAL(14, true, K_SIGNAL),
  SIGNAL_ACK(15, false);

  private static final MessageType[] BY_WIRE_CODE = new MessageType[16];

  static {
    for (MessageType t : values()) {
      BY_WIRE_CODE[t.wireCode] = t;
    }
  }

  private final int wireCode;
  private final boolean request;
  private final int[] required;

  MessageType(int wireCode, boolean request, int... required) {
    this.wireCode = wireCode;
    this.request = request;
    int[] all = required;
    if (!request) { // a response always names its responder, checked first
      all = new int[required.length + 1];
      all[0] = K_PUBLIC_KEY;
      System.arraycopy(required, 0, all, 1, required.length);
    }
    this.required = all;
  }

  /** The number on the wire. */
  public int wireCode() {
    return wireCode;
  }

  /** True for a request, false for a response. */
  public boolean isRequest() {
    return request;
  }

  /** The type with wire number {@code code}, if there is one. */
  public static Optional<MessageType> ofWire(long code) {
    return code >= 1 && code < BY_WIRE_CODE.length ? Optional.ofNullable(BY_WIRE_CODE[(int) code]) : Optional.empty();
  }

  /** The keys a message of this type must carry besides version, type and txId, in the order they are checked. */
  int[] requiredKeys() {
    return required.clone();
  }

  /** The name of message key {@code key} in a message of this type (key 3 and key 6 are named by their role). */
  String fieldName(int key) {
    if (key == K_PUBLIC_KEY) {
      return request ? "sender" : "responder";
    }
    if (key == K_TARGET) {
      return this == FIND_VALUE || this == SUBSCRIBE ? "key" : "target";
    }
    return WireKeys.messageKeyName(key);
  }
}
