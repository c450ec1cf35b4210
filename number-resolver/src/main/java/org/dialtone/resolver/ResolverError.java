package org.dialtone.resolver;

import org.dialtone.dht.error.DialtoneException;

/** Stable codes of {@link ResolverException}. */
public enum ResolverError implements DialtoneException.Code {
  /** Nobody holds a record for what was asked (an agent that is not announced anywhere). */
  NOT_FOUND,
  /** A record the agent tried to publish breaks the record rules (too large, a bad service name...). */
  INVALID_RECORD,
  /** The DHT failed the operation; {@link ResolverException#dhtCode()} says how. */
  DHT_FAILURE,
  /** The resolver is closed. */
  CLOSED,
  /** Something unexpected failed inside the resolver or below it (a bug); the cause says what. */
  INTERNAL
}
