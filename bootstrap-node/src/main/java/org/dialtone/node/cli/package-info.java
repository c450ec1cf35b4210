/**
 * The {@code dialtone} subcommands (picocli): {@code node}, {@code demo} and the agent commands. Bad input is a
 * one-line error and exit code 2; a failed operation exit code 1.
 */
package org.dialtone.node.cli;
