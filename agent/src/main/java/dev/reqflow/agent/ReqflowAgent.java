package dev.reqflow.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Entry point of {@code -javaagent:reqflow-agent.jar[=options]} and of a late attach. Does almost
 * nothing itself and never lets a failure reach the application.
 *
 * <p>This class must not refer to the bridge: the bridge has to be in the bootstrap class loader
 * before any class that links against it is loaded, or the application class loader would define a
 * second copy of it.
 */
public final class ReqflowAgent {

  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  /** The bridge and its nested types: the only classes defined in the bootstrap class loader. */
  private static final String[] BOOTSTRAP_CLASSES = {
    "dev/reqflow/agent/bootstrap/Bridge",
    "dev/reqflow/agent/bootstrap/Bridge$Hooks",
    "dev/reqflow/agent/bootstrap/Bridge$ContextRunnable",
    "dev/reqflow/agent/bootstrap/Bridge$ContextCallable",
    "dev/reqflow/agent/bootstrap/Bridge$FlowEnd",
  };

  /** When {@link #install} began ({@link System#nanoTime}), for the start line's premain time. */
  private static volatile long installNanos;

  private ReqflowAgent() {}

  /** When the install began ({@link System#nanoTime}); 0 before. */
  public static long installNanos() {
    return installNanos;
  }

  public static void premain(String args, Instrumentation inst) {
    install(args, inst);
  }

  public static void agentmain(String args, Instrumentation inst) {
    install(args, inst);
  }

  /** Installs once per JVM; a second call is a no-op. */
  public static void install(String args, Instrumentation inst) {
    if (!INSTALLED.compareAndSet(false, true)) {
      return;
    }
    installNanos = System.nanoTime();
    if (BackgroundInstall.requested(args)) {
      try {
        // No lambda: the first one in a JVM sets up invokedynamic's machinery, tens of ms of
        // premain.
        BackgroundInstall.start(new InstallTask(args, inst));
      } catch (Throwable t) {
        System.err.println(
            "reqflow: the agent failed to start; the application runs without it: " + t);
      }
      return;
    }
    installNow(args, inst);
  }

  /** Defines the bridge, then runs the install; a failure is said, never thrown. */
  private static void installNow(String args, Instrumentation inst) {
    try {
      injectBridge(inst);
      Class.forName("dev.reqflow.agent.Installer", true, ReqflowAgent.class.getClassLoader())
          .getDeclaredMethod("install", String.class, Instrumentation.class)
          .invoke(null, args, inst);
    } catch (Throwable t) {
      if (BackgroundInstall.exiting()) {
        return; // a background install cut short by the exit, which said so
      }
      Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
      System.err.println(
          "reqflow: the agent failed to start; the application runs without it: " + cause);
      BackgroundInstall.stayedOff();
    }
  }

  /** The install, as the background thread runs it. */
  private static final class InstallTask implements Runnable {
    private final String args;
    private final Instrumentation inst;

    InstallTask(String args, Instrumentation inst) {
      this.args = args;
      this.inst = inst;
    }

    @Override
    public void run() {
      installNow(args, inst);
    }
  }

  /**
   * Defines the bridge's classes in the bootstrap class loader, where advice woven into JDK classes
   * can see them. Not by appending a jar to the bootstrap class path, the usual way: that turns off
   * class data sharing for every class outside the boot loader (the JVM warns "Sharing is only
   * supported for boot loader classes") and costs the application's start. The class loader's own
   * {@code defineClass1}, opened to this agent through {@link Instrumentation#redefineModule},
   * defines only these classes; the jar is the fallback when a JDK lacks it ({@link
   * BootstrapClasses}).
   */
  private static void injectBridge(Instrumentation inst) throws IOException {
    ClassLoader loader = ReqflowAgent.class.getClassLoader();
    byte[][] classes = new byte[BOOTSTRAP_CLASSES.length][];
    for (int i = 0; i < BOOTSTRAP_CLASSES.length; i++) {
      String name = BOOTSTRAP_CLASSES[i];
      try (InputStream in = loader.getResourceAsStream(name + ".class")) {
        if (in == null) {
          throw new IOException("missing " + name + ".class in the agent jar");
        }
        classes[i] = in.readAllBytes();
      }
    }
    BootstrapClasses.define(inst, BOOTSTRAP_CLASSES, classes, ReqflowAgent.class.getModule());
  }
}
