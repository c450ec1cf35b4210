package org.dialtone.node.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from the environment, then a config file, then the code: a flag beats {@code DIALTONE_HTTP_PORT},
 * which beats {@code http-port=8440} in the file given by {@code --config} (or {@code DIALTONE_CONFIG}), which beats
 * the built-in default. The environment variable of an option is its long name in upper case with '-' as '_',
 * prefixed with {@code DIALTONE_}; the file's key is the long name without the dashes.
 */
public final class EnvDefaults implements IDefaultValueProvider {
  private final Map<String, String> env;
  private final Properties file;
  private final String filePath;

  public EnvDefaults(Map<String, String> env, Properties file) {
    this(env, file, "the config file");
  }

  private EnvDefaults(Map<String, String> env, Properties file, String filePath) {
    this.env = env;
    this.file = file;
    this.filePath = filePath;
  }

  /** The keys of the config file (none without one). */
  public java.util.Set<String> fileKeys() {
    return file.stringPropertyNames();
  }

  /** The config file's path as given, for messages. */
  public String filePath() {
    return filePath;
  }

  /** Defaults from {@code env} and the config file named by {@code --config} in {@code args} or the environment. */
  public static EnvDefaults from(String[] args, Map<String, String> env) throws IOException {
    String config = env.get("DIALTONE_CONFIG");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        config = args[i + 1];
      } else if (args[i].startsWith("--config=")) {
        config = args[i].substring("--config=".length());
      }
    }
    Properties props = new Properties();
    if (config != null && !config.isEmpty()) {
      Path p = Path.of(config);
      if (!Files.exists(p)) {
        throw new IOException("config file " + p + " does not exist");
      }
      if (!Files.isRegularFile(p)) {
        throw new IOException("config file " + p + " is not a file");
      }
      try (Reader r = Files.newBufferedReader(p)) {
        props.load(r);
      } catch (IOException e) {
        throw new IOException("config file " + org.dialtone.node.state.FsErrors.describe(e), e);
      }
      return new EnvDefaults(env, props, config);
    }
    return new EnvDefaults(env, props);
  }

  /** The environment variable that sets {@code --long-name}. */
  public static String envName(String longName) {
    return "DIALTONE_" + longName.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
      return null;
    }
    String name = option.longestName();
    String fromEnv = env.get(envName(name));
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv;
    }
    String key = name.substring(2);
    return file.getProperty(key);
  }
}
