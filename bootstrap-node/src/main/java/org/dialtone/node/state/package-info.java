/**
 * A node's data directory: its identity, and its contacts and stored records written atomically (temporary file,
 * fsync, atomic rename, checksum) every few seconds and on shutdown. Defends against torn writes and corrupt files
 * (a bad file is set aside, never half-read) and against forged records on disk (every record is verified again
 * when it is restored).
 */
package org.dialtone.node.state;
