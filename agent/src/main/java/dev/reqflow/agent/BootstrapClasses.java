package dev.reqflow.agent;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts a few classes into the bootstrap class loader. First by {@code
 * ClassLoader.defineClass1(null, ...)} (the native method behind every class definition, the same
 * signature on JDK 17 to 25), with {@code java.lang} opened to the agent's module only: no jar is
 * appended to the bootstrap class path, so class data sharing stays on for the application's
 * classes. Else, when that method is missing or refuses, by a temporary jar appended to the
 * bootstrap class path, as before.
 */
final class BootstrapClasses {

  private BootstrapClasses() {}

  /** Defines {@code classes} ({@code names} in internal form, a superclass before its subclass). */
  static void define(Instrumentation inst, String[] names, byte[][] classes, Module agentModule)
      throws IOException {
    if (defineDirectly(inst, names, classes, agentModule)) {
      return;
    }
    appendJar(inst, names, classes);
  }

  private static boolean defineDirectly(
      Instrumentation inst, String[] names, byte[][] classes, Module agentModule) {
    Method define;
    try {
      Module base = Object.class.getModule();
      inst.redefineModule(
          base, Set.of(), Map.of(), Map.of("java.lang", Set.of(agentModule)), Set.of(), Map.of());
      define =
          ClassLoader.class.getDeclaredMethod(
              "defineClass1",
              ClassLoader.class,
              String.class,
              byte[].class,
              int.class,
              int.class,
              ProtectionDomain.class,
              String.class);
      define.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
    for (int i = 0; i < names.length; i++) {
      String name = names[i].replace('/', '.');
      try {
        Class.forName(name, false, null);
        // Already there (a second agent jar of ours): the first one's classes serve.
        continue;
      } catch (ClassNotFoundException e) {
        // Not yet defined: defined below.
      }
      try {
        define.invoke(null, null, name, classes[i], 0, classes[i].length, null, null);
      } catch (IllegalAccessException | RuntimeException e) {
        if (i == 0) {
          return false;
        }
        throw new IllegalStateException("defining " + name + " in the bootstrap loader", e);
      } catch (InvocationTargetException e) {
        if (i == 0) {
          return false;
        }
        throw new IllegalStateException(
            "defining " + name + " in the bootstrap loader", e.getCause());
      }
    }
    return true;
  }

  private static void appendJar(Instrumentation inst, String[] names, byte[][] classes)
      throws IOException {
    File jar = File.createTempFile("reqflow-bootstrap", ".jar");
    jar.deleteOnExit();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar.toPath()))) {
      for (int i = 0; i < names.length; i++) {
        out.putNextEntry(new JarEntry(names[i] + ".class"));
        out.write(classes[i]);
        out.closeEntry();
      }
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
  }
}
