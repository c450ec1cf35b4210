package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.dialtone.node.cli.EnvDefaults;
import org.dialtone.node.cli.NodeCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flags beat the environment, which beats the config file, which beats the built-in default. */
class EnvDefaultsTest {
  @TempDir Path dir;

  private static CommandLine.ParseResult parse(EnvDefaults defaults, String... args) {
    CommandLine cli = new CommandLine(new NodeCommand());
    cli.setDefaultValueProvider(defaults);
    return cli.parseArgs(args);
  }

  @Test
  void precedence() throws Exception {
    Path file = dir.resolve("node.properties");
    Files.writeString(file, "port=7001\nhttp-port=8001\nlog-level=DEBUG\n");
    String[] args = {"--config", file.toString(), "--port", "7003"};
    EnvDefaults d = EnvDefaults.from(args, Map.of("DIALTONE_HTTP_PORT", "8002"));
    CommandLine.ParseResult r = parse(d, args);
    assertEquals(7003, (int) r.matchedOptionValue("--port", 0));                      // flag
    assertEquals(8002, (int) r.commandSpec().findOption("--http-port").getValue());    // environment
    assertEquals("DEBUG", r.commandSpec().findOption("--log-level").getValue());       // file
    assertEquals("127.0.0.1", r.commandSpec().findOption("--host").getValue());        // default
  }

  @Test
  void envNames() {
    assertEquals("DIALTONE_HTTP_PORT", EnvDefaults.envName("--http-port"));
    assertEquals("DIALTONE_DATA_DIR", EnvDefaults.envName("--data-dir"));
    assertEquals(null, new EnvDefaults(Map.of(), new Properties())
        .defaultValue(CommandLine.Model.OptionSpec.builder("-x").build()));
  }

  /** LAN discovery is on unless --no-lan, DIALTONE_NO_LAN or no-lan= in the file turns it off; ConfigCheck knows it. */
  @Test
  void noLanFromFlagEnvironmentOrFile() throws Exception {
    assertEquals(false, parse(EnvDefaults.from(new String[0], Map.of())).commandSpec().findOption("--no-lan")
        .getValue());
    assertEquals(true, parse(EnvDefaults.from(new String[0], Map.of()), "--no-lan").commandSpec()
        .findOption("--no-lan").getValue());
    assertEquals(true, parse(EnvDefaults.from(new String[0], Map.of("DIALTONE_NO_LAN", "true"))).commandSpec()
        .findOption("--no-lan").getValue());
    Path file = dir.resolve("lan.properties");
    Files.writeString(file, "no-lan=true\n");
    String[] args = {"--config", file.toString()};
    EnvDefaults fromFile = EnvDefaults.from(args, Map.of());
    assertEquals(true, parse(fromFile, args).commandSpec().findOption("--no-lan").getValue());
    CommandLine all = new CommandLine(new NodeCommand());
    org.dialtone.node.cli.ConfigCheck.environment(all, Map.of("DIALTONE_NO_LAN", "true")); // no BAD_CONFIG
    org.dialtone.node.cli.ConfigCheck.file(all, fromFile);
  }
}
