package dev.reqflow.agent;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * {@code install=background}: the install runs on a daemon thread of its own, so that {@code
 * premain} returns in a few milliseconds and the application starts while the JDK's types are
 * woven. What that costs is said, never left silent: requests served before the install finished
 * are not recorded (no flow starts until every type is instrumented, so a flow is recorded whole or
 * not at all), and the start line, the exit line and an {@code install} span in the exported data
 * say when the install finished, counted from the JVM's start.
 *
 * <p>The JVM may also exit before the install is done (a short {@code main}): the one shutdown
 * hook, registered by {@code premain} itself, then says so, or runs the agent's exit work once the
 * install has set it up. Loaded on the application's main thread: JDK types only, no bridge, no
 * ByteBuddy.
 */
final class BackgroundInstall {

  private static final long NOT_YET = 0;

  /** When the install finished ({@link System#nanoTime}), {@link #NOT_YET} before. */
  private static volatile long finishedNanos = NOT_YET;

  /** How long {@code premain} itself took, in nanoseconds. */
  private static volatile long premainNanos;

  /** The agent's exit work (flush, exit line), once the install has built it; null before. */
  private static volatile Runnable atExit;

  private BackgroundInstall() {}

  /**
   * True when {@code args} asks for {@code install=background} (the last {@code install=} wins, as
   * in {@link AgentConfig}, which validates the value and warns about a bad one).
   */
  static boolean requested(String args) {
    if (args == null) {
      return false;
    }
    boolean background = false;
    for (String pair : args.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().equals("install")) {
        background = pair.substring(eq + 1).trim().equals("background");
      }
    }
    return background;
  }

  /** Starts {@code install} on a daemon thread and registers the exit hook; returns at once. */
  static void start(Runnable install) {
    Thread hook = new Thread(new Exit(), "reqflow-flush");
    Runtime.getRuntime().addShutdownHook(hook);
    Thread t = new Thread(install, "reqflow-install");
    // Never keeps the JVM alive: a main that ends before the install does ends the process.
    t.setDaemon(true);
    t.start();
    premainNanos = System.nanoTime() - ReqflowAgent.installNanos();
  }

  /** The agent's exit work, run by the shutdown hook that {@link #start} registered. */
  static void atExit(Runnable work) {
    atExit = work;
  }

  /**
   * The agent stays off (it failed to start, another reqflow agent is installed, nothing would be
   * exported), which it said when it decided so: the exit adds nothing.
   */
  static void stayedOff() {
    atExit = new NothingAtExit();
  }

  private static final class NothingAtExit implements Runnable {
    @Override
    public void run() {}
  }

  /** The install is done: every type is instrumented and the recorder receives the hooks. */
  static void finished() {
    finishedNanos = System.nanoTime();
  }

  /** True once {@link #finished} was called. */
  static boolean isFinished() {
    return finishedNanos != NOT_YET;
  }

  /** How long {@code premain} took on the application's main thread, in milliseconds. */
  static long premainMillis() {
    return premainNanos / 1_000_000;
  }

  /** {@link #jvmStartEpochNanos}, once read; 0 before. */
  private static volatile long jvmStartEpochNanos;

  /**
   * The JVM's start, in nanoseconds since the epoch, to the millisecond: the JVM's own ({@link
   * java.lang.management.RuntimeMXBean#getStartTime}; not the OS's process start, which Linux gives
   * to the second only), or when {@code premain} began when it cannot be read. Read off the main
   * thread: it loads {@code java.management}.
   */
  static long jvmStartEpochNanos() {
    long start = jvmStartEpochNanos;
    if (start == 0) {
      try {
        start =
            TimeUnit.MILLISECONDS.toNanos(
                java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
      } catch (RuntimeException | LinkageError e) {
        start = epochNanosOf(ReqflowAgent.installNanos());
      }
      jvmStartEpochNanos = start;
    }
    return start;
  }

  /** When the install finished, in nanoseconds since the epoch; 0 before. */
  static long finishedEpochNanos() {
    long f = finishedNanos;
    return f == NOT_YET ? 0 : epochNanosOf(f);
  }

  /** Milliseconds from the JVM's start to the install's end, or to now when it has not ended. */
  static long millisAfterJvmStart() {
    long end = isFinished() ? finishedEpochNanos() : epochNanosOf(System.nanoTime());
    return Math.max(0, end - jvmStartEpochNanos()) / 1_000_000;
  }

  /**
   * What the exit line adds: {@code ; the agent finished installing 812 ms after the JVM started
   * (install=background): requests before then were not recorded}, or that the JVM exited before it
   * finished.
   */
  static String exitLinePart() {
    if (isFinished()) {
      return "; the agent finished installing "
          + millisAfterJvmStart()
          + " ms after the JVM started (install=background): requests before then were not"
          + " recorded";
    }
    return "; " + notFinishedPhrase();
  }

  private static String notFinishedPhrase() {
    return "the JVM exited "
        + millisAfterJvmStart()
        + " ms after it started, before the agent finished installing (install=background,"
        + " premain "
        + premainMillis()
        + " ms): nothing was recorded";
  }

  /** The shutdown hook; a class, not a lambda, for the reason {@link ReqflowAgent} gives. */
  /** Set when the JVM began to exit: an install that fails after that failed from the exit. */
  private static volatile boolean exiting;

  /**
   * True once the JVM began to exit. An install still running then may fail (ByteBuddy cannot
   * install its transformer in a JVM shutting down); the exit line has already said that the JVM
   * exited before the install finished and that nothing was recorded, which is the whole truth.
   */
  static boolean exiting() {
    return exiting;
  }

  private static final class Exit implements Runnable {
    @Override
    public void run() {
      exiting = true;
      Runnable work = atExit;
      if (work != null) {
        work.run();
      } else {
        System.err.println("reqflow: " + notFinishedPhrase());
      }
    }
  }

  /** {@code nanoTime} as nanoseconds since the epoch, through the wall clock's reading now. */
  private static long epochNanosOf(long nanoTime) {
    Instant now = Instant.now();
    long nowEpoch = TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    return nowEpoch - (System.nanoTime() - nanoTime);
  }
}
