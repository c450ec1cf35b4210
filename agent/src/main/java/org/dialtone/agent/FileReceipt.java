package org.dialtone.agent;

/**
 * The receiver's confirmation that a file arrived intact.
 *
 * @param name the file name sent
 * @param size bytes sent
 * @param sha256 the SHA-256 both sides computed, hex
 */
public record FileReceipt(String name, long size, String sha256) {}
