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
    if (options.headless()) {
      // No JavaFX class is loaded on this path: it runs where no toolkit can start.
      System.exit(HeadlessReceiver.run(options, System.out, System.err));
      return;
    }
    if (options.screenshot() != null && System.getenv("DISPLAY") == null) {
      useHeadlessToolkit();
    } else if (options.screenshot() == null && needsX11() && System.getenv("DISPLAY") == null) {
      System.err.println(NO_DISPLAY);
      System.exit(2);
      return;
    }
    quietClassPathWarning();
    ViewerApp.options = options;
    try {
      Application.launch(ViewerApp.class);
    } catch (RuntimeException | Error e) {
      // The toolkit could not start (no X server behind DISPLAY, no GTK 3): one line, not a trace.
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      System.err.println(
          "reqflow viewer: the window could not open ("
              + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage())
              + "); use ./reqflow report FILE, or run under Xvfb");
      System.exit(2);
    }
  }

  static final String NO_DISPLAY =
      "reqflow viewer: no display (DISPLAY unset); use --headless to receive and print the report,"
          + " ./reqflow report FILE, or run under Xvfb";

  /** JavaFX's desktop toolkit on Linux and the BSDs is GTK on X11: it needs DISPLAY. */
  private static boolean needsX11() {
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    return !os.contains("mac") && !os.contains("win");
  }

  /** Held so that the filter stays on the logger: loggers are weakly referenced. */
  private static java.util.logging.Logger javafxLogger;

  /**
   * JavaFX warns "Unsupported JavaFX configuration" whenever its classes are not loaded as named
   * modules, which a single jar on the class path (this one) never does; no start-up order of our
   * own avoids it. The warning says nothing a user can act on, so that one message is dropped;
   * every other JavaFX message still goes through.
   */
  private static void quietClassPathWarning() {
    javafxLogger = java.util.logging.Logger.getLogger("javafx");
    javafxLogger.setFilter(
        r ->
            r.getMessage() == null
                || !r.getMessage().startsWith("Unsupported JavaFX configuration"));
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
