package dev.reqflow.sample;

import dev.reqflow.sample.cli.Args;
import dev.reqflow.sample.cli.BackendsCommand;
import dev.reqflow.sample.cli.Command;
import dev.reqflow.sample.cli.HammerCommand;
import dev.reqflow.sample.cli.SeedExperimentCommand;
import dev.reqflow.sample.cli.ServeCommand;
import dev.reqflow.sample.cli.UsageException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** Entry point of the sample app jar: {@code java -jar reqflow-sample-app.jar VERB [options]}. */
public final class Main {
  /** The exit code of a bad command line. */
  public static final int USAGE_ERROR = 2;

  private static final List<Command> COMMANDS =
      List.of(
          new ServeCommand(),
          new BackendsCommand(),
          new SeedExperimentCommand(),
          new HammerCommand());

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the verb named by {@code args[0]} and returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(usage());
      return USAGE_ERROR;
    }
    if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      out.print(usage());
      return 0;
    }
    Command command =
        COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
    if (command == null) {
      err.println("error: unknown verb '" + args[0] + "'");
      err.print(usage());
      return USAGE_ERROR;
    }
    try {
      Args parsed = Args.parse(Arrays.asList(args).subList(1, args.length), command.options());
      if (parsed.help()) {
        out.print(command.usage());
        return 0;
      }
      return command.run(parsed, out, err);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.print(command.usage());
      return USAGE_ERROR;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("interrupted");
      return 1;
    } catch (Exception e) {
      err.println("error: " + e);
      return 1;
    }
  }

  private static String usage() {
    StringBuilder usage =
        new StringBuilder("usage: java -jar reqflow-sample-app.jar VERB [options]\n\nverbs:\n");
    for (Command command : COMMANDS) {
      usage.append(String.format("  %-16s %s%n", command.name(), command.summary()));
    }
    return usage.append("\n'VERB --help' shows a verb's options.\n").toString();
  }
}
