package org.dialtone.resolver;

import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;

/**
 * A number that offers a service: the answer to {@code findNumbers(service)}.
 *
 * @param number the number
 * @param host the agent hosting the service there (its endpoints say where to connect)
 */
public record NumberListing(DialNumber number, AgentInfo host) {}
