/**
 * The 256-bit keyspace: node ids, content keys, and the XOR metric that orders them. Content keys are
 * domain-separated hashes, so different kinds of names can never collide on purpose.
 */
package org.dialtone.dht.id;
