package org.dialtone.agent;

/**
 * A named handler that applications register with an agent ({@code chat}, {@code files}, {@code games}...). When the
 * peer opens a stream to the service, {@link #open} is called on the connection's thread; set the stream's handlers
 * there.
 */
@FunctionalInterface
public interface Service {
  /** A peer opened {@code stream}. */
  void open(ServiceStream stream);
}
