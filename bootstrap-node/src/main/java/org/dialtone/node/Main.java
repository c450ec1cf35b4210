package org.dialtone.node;

import java.io.PrintWriter;
import org.dialtone.node.cli.AgentCommandsRegistry;
import org.dialtone.node.cli.CliError;
import org.dialtone.node.cli.DemoCommand;
import org.dialtone.node.cli.EnvDefaults;
import org.dialtone.node.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code dialtone} command. Picocli because it is the standard Java CLI library: commands and options are
 * annotations on plain fields, help and usage are generated, and a default-value provider gives every option an
 * environment variable and a config-file key without code per option.
 *
 * <p>Exit codes: 0 done; 1 the operation failed (no bootstrap peer answered, not found, timeout); 2 bad input (a
 * bad number, an unknown option). Errors are one line on standard error: {@code dialtone: CODE: message}.
 */
@Command(name = "dialtone", mixinStandardHelpOptions = true, version = "dialtone 0.1.0",
    description = "Agents meet on numbers like 744-196884-23, on a Kademlia DHT.",
    subcommands = {NodeCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  public static void main(String[] args) {
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }

  /** Runs the command line and returns the exit code (does not exit). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    AgentCommandsRegistry.register(cli);
    cli.setOut(out);
    cli.setErr(err);
    try {
      cli.setDefaultValueProvider(EnvDefaults.from(args, System.getenv()));
    } catch (java.io.IOException e) {
      err.println("dialtone: BAD_CONFIG: " + e.getMessage());
      return CliError.EXIT_USAGE;
    }
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof CliError ce) {
        err.println("dialtone: " + ce.line());
        return ce.exitCode();
      }
      err.println("dialtone: INTERNAL: " + e.getClass().getSimpleName() + ": "
          + String.valueOf(e.getMessage()).replaceAll("[\\r\\n]+", " "));
      return CliError.EXIT_FAILED;
    });
    cli.setParameterExceptionHandler((e, a) -> {
      err.println("dialtone: USAGE: " + e.getMessage().replaceAll("[\\r\\n]+", " ")
          + " (see: dialtone " + (e.getCommandLine().getCommandName().equals("dialtone") ? ""
          : e.getCommandLine().getCommandName() + " ") + "--help)");
      return CliError.EXIT_USAGE;
    });
    return cli.execute(args);
  }
}
