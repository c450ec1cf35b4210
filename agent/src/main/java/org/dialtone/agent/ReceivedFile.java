package org.dialtone.agent;

import java.nio.file.Path;
import org.dialtone.dht.crypto.PublicKey;

/**
 * A file that arrived whole and matched its SHA-256.
 *
 * @param from the sender's proven key
 * @param name the name the sender gave (a bare file name)
 * @param path where it was written
 * @param size its size in bytes
 * @param sha256 its SHA-256, hex
 */
public record ReceivedFile(PublicKey from, String name, Path path, long size, String sha256) {}
