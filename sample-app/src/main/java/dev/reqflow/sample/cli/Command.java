package dev.reqflow.sample.cli;

import java.io.PrintStream;
import java.util.Set;

/** A verb of the sample app's jar. */
public interface Command {
  String name();

  /** One line for the jar's own usage. */
  String summary();

  /** The verb's full usage, shown by {@code --help} and after a usage error. */
  String usage();

  /** The options the verb accepts, without their dashes. */
  Set<String> options();

  /**
   * Runs the verb.
   *
   * @return the process exit code
   * @throws UsageException when the options parse but make no sense
   */
  int run(Args args, PrintStream out, PrintStream err) throws Exception;
}
