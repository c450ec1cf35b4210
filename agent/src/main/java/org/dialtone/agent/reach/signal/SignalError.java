package org.dialtone.agent.reach.signal;

/** Why a signal was refused. Stable codes for metrics and logs. */
public enum SignalError {
  /** Over {@link SignalCodec#MAX_BYTES}, or a field over its bound. */
  TOO_LARGE,
  /** Bytes that do not parse: wrong magic, unknown code, short, trailing bytes, bad address family. */
  MALFORMED,
  /** The signature does not verify under the sender's key. */
  BAD_SIGNATURE,
  /** Addressed to another agent's key. */
  WRONG_RECIPIENT,
  /** Past its expiry. */
  EXPIRED,
  /** Issued further in the future than the allowed clock skew. */
  NOT_YET_VALID,
  /** A lifetime over {@link SignalVerifier#MAX_LIFETIME_MILLIS}, or an expiry before the issue time. */
  BAD_LIFETIME,
  /** The same sender's nonce was seen already. */
  REPLAYED,
  /** The replay table is full: refused rather than risk accepting a replay. */
  BUSY,
  /** A valid signal that does not belong to this exchange: another kind, session or sender than expected. */
  UNEXPECTED
}
