package dev.reqflow.viewer.app;

import javafx.application.Application;

/**
 * Entry point of the jar. Not an {@code Application} itself, so that {@code java -jar} works with
 * JavaFX on the class path. Parses the arguments before any toolkit starts: bad ones print the
 * usage and exit 2.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (Options.UsageException e) {
      System.err.println("reqflow view: " + e.getMessage());
      System.err.print(Options.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(Options.USAGE);
      return;
    }
    if (options.screenshot() != null && System.getenv("DISPLAY") == null) {
      useHeadlessToolkit();
    }
    ViewerApp.options = options;
    Application.launch(ViewerApp.class);
  }

  /** Screenshots need no screen: Monocle's headless platform renders in software. */
  private static void useHeadlessToolkit() {
    setIfAbsent("glass.platform", "Monocle");
    setIfAbsent("monocle.platform", "Headless");
    setIfAbsent("prism.order", "sw");
    setIfAbsent("java.awt.headless", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
