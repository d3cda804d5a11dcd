package dev.reqflow.sample.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A verb's options: {@code --name value} or {@code --name=value}, plus {@code --help}. */
public final class Args {
  private final Map<String, String> values;
  private final boolean help;

  private Args(Map<String, String> values, boolean help) {
    this.values = values;
    this.help = help;
  }

  /** Parses {@code args}, accepting only the options named in {@code known} (without dashes). */
  public static Args parse(List<String> args, Set<String> known) throws UsageException {
    Map<String, String> values = new HashMap<>();
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      String name = arg.substring(2, eq < 0 ? arg.length() : eq);
      if (!known.contains(name)) {
        throw new UsageException("unknown option --" + name);
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException("--" + name + " needs a value");
      }
      if (values.put(name, value) != null) {
        throw new UsageException("--" + name + " is given twice");
      }
    }
    return new Args(values, help);
  }

  public boolean help() {
    return help;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public int intValue(String name, int fallback, int min, int max) throws UsageException {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below, with the range
    }
    throw new UsageException(
        "--" + name + " takes a whole number from " + min + " to " + max + ", not '" + value + "'");
  }

  public double doubleValue(String name, double fallback, double min, double max)
      throws UsageException {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      double parsed = Double.parseDouble(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below, with the range
    }
    throw new UsageException(
        "--" + name + " takes a number from " + min + " to " + max + ", not '" + value + "'");
  }
}
