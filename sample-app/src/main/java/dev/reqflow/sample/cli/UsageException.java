package dev.reqflow.sample.cli;

/** The command line was wrong: the message says how, and the verb's usage follows it. */
public final class UsageException extends Exception {
  public UsageException(String message) {
    super(message);
  }
}
