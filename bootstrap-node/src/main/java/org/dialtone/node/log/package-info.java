/**
 * Structured logging for the node and the CLI: key=value lines through java.util.logging, with values escaped so
 * that nothing a client sends (a number, a query) can break a line or forge another.
 */
package org.dialtone.node.log;
