package org.dialtone.node;

import java.io.PrintWriter;
import java.util.List;
import org.dialtone.node.cli.AgentCommandsRegistry;
import org.dialtone.node.cli.CliError;
import org.dialtone.node.cli.ConfigCheck;
import org.dialtone.node.cli.DemoCommand;
import org.dialtone.node.cli.EnvDefaults;
import org.dialtone.node.cli.NodeCommand;
import org.dialtone.node.cli.StatusCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code dialtone} command. Picocli because it is the standard Java CLI library: commands and options are
 * annotations on plain fields, help and usage are generated, and a default-value provider gives every option an
 * environment variable and a config-file key without code per option.
 *
 * <p>Exit codes: 0 done (also a clean stop by SIGTERM or Ctrl-C); 1 the operation failed (no bootstrap peer
 * answered, not found, timeout); 2 bad input (a bad number, an unknown option, a mistyped config key). Errors are
 * one line on standard error: {@code dialtone: CODE: message}.
 */
@Command(name = "dialtone", mixinStandardHelpOptions = true, version = "dialtone 0.1.0",
    description = "Agents meet on numbers like 744-196884-23, on a Kademlia DHT.",
    footer = {"", "Every command takes -h/--help. Exit codes: 0 done, 1 failed, 2 bad input."},
    subcommands = {NodeCommand.class, StatusCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  public static void main(String[] args) {
    org.dialtone.dht.transport.NettyBuffers.preferPooled(); // before any Vert.x instance: see its Javadoc
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }

  /** Runs the command line and returns the exit code (does not exit). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, System.getenv());
  }

  /** As {@link #run(String[], PrintWriter, PrintWriter)} with the environment given. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> env) {
    CommandLine cli = new CommandLine(new Main());
    AgentCommandsRegistry.register(cli);
    cli.setOut(out);
    cli.setErr(err);
    EnvDefaults defaults;
    try {
      defaults = EnvDefaults.from(args, env);
      ConfigCheck.environment(cli, env);
      ConfigCheck.file(cli, defaults);
    } catch (CliError e) {
      err.println("dialtone: " + e.line());
      return e.exitCode();
    } catch (java.io.IOException e) {
      err.println("dialtone: BAD_CONFIG: " + e.getMessage());
      return CliError.EXIT_USAGE;
    }
    cli.setDefaultValueProvider(defaults);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof CliError ce) {
        err.println("dialtone: " + ce.line());
        return ce.exitCode();
      }
      if (e instanceof IllegalArgumentException) { // a value refused by a record rule or a setting's check
        err.println("dialtone: BAD_INPUT: " + oneLine(e.getMessage()));
        return CliError.EXIT_USAGE;
      }
      err.println("dialtone: INTERNAL: " + oneLine(org.dialtone.node.log.StructuredLog.causeChain(e)));
      return CliError.EXIT_FAILED;
    });
    cli.setParameterExceptionHandler((e, a) -> {
      if (e.getCause() instanceof CliError ce) {
        err.println("dialtone: " + ce.line());
        return ce.exitCode();
      }
      String suggestion = "";
      if (e instanceof CommandLine.UnmatchedArgumentException u) {
        List<String> s = ConfigCheck.suggestions(u);
        if (!s.isEmpty()) {
          suggestion = " (did you mean " + String.join(" or ", s) + "?)";
        }
      }
      err.println("dialtone: USAGE: " + oneLine(e.getMessage()) + suggestion + " (see: "
          + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
      return CliError.EXIT_USAGE;
    });
    return cli.execute(args);
  }

  private static String oneLine(String s) {
    return String.valueOf(s).replaceAll("[\\r\\n]+", " ").strip();
  }
}
