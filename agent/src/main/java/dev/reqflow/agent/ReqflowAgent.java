package dev.reqflow.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Entry point of {@code -javaagent:reqflow-agent.jar[=options]} and of a late attach. Does almost
 * nothing itself and never lets a failure reach the application.
 *
 * <p>This class must not refer to the bridge: the bridge has to be put on the bootstrap class path
 * before any class that links against it is loaded, or the application class loader would define a
 * second copy of it.
 */
public final class ReqflowAgent {

  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  /** The bridge and its nested types: the only classes put on the bootstrap class path. */
  private static final String[] BOOTSTRAP_CLASSES = {
    "dev/reqflow/agent/bootstrap/Bridge",
    "dev/reqflow/agent/bootstrap/Bridge$Hooks",
    "dev/reqflow/agent/bootstrap/Bridge$ContextRunnable",
    "dev/reqflow/agent/bootstrap/Bridge$ContextCallable",
    "dev/reqflow/agent/bootstrap/Bridge$FlowEnd",
  };

  private ReqflowAgent() {}

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
    try {
      injectBridge(inst);
      Class.forName("dev.reqflow.agent.Installer", true, ReqflowAgent.class.getClassLoader())
          .getDeclaredMethod("install", String.class, Instrumentation.class)
          .invoke(null, args, inst);
    } catch (Throwable t) {
      Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
      System.err.println(
          "reqflow: the agent failed to start; the application runs without it: " + cause);
    }
  }

  private static void injectBridge(Instrumentation inst) throws IOException {
    File jar = File.createTempFile("reqflow-bootstrap", ".jar");
    jar.deleteOnExit();
    ClassLoader loader = ReqflowAgent.class.getClassLoader();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar.toPath()))) {
      for (String name : BOOTSTRAP_CLASSES) {
        try (InputStream in = loader.getResourceAsStream(name + ".class")) {
          if (in == null) {
            throw new IOException("missing " + name + ".class in the agent jar");
          }
          out.putNextEntry(new JarEntry(name + ".class"));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
  }
}
