package org.dialtone.node.cli;

import picocli.CommandLine;

/** Adds the agent commands to the {@code dialtone} command line. */
public final class AgentCommandsRegistry {
  private AgentCommandsRegistry() {}

  public static void register(CommandLine cli) {
    cli.addSubcommand(new AgentCommands.Dial());
    cli.addSubcommand(new AgentCommands.Announce());
    cli.addSubcommand(new AgentCommands.Host());
    cli.addSubcommand(new AgentCommands.ShareCmd());
    cli.addSubcommand(new AgentCommands.Find());
    cli.addSubcommand(new AgentCommands.Numbers());
    cli.addSubcommand(new AgentCommands.Request());
    cli.addSubcommand(new AgentCommands.Watch());
    cli.addSubcommand(new ConnectCommand());
    cli.addSubcommand(new JoinCommand());
  }
}
