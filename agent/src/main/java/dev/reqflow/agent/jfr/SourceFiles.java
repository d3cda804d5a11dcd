package dev.reqflow.agent.jfr;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The source file of a class, for a frame that JDK Flight Recorder reports without one: the class
 * file's {@code SourceFile} attribute when the system class loader finds it, else the Java
 * convention (the top-level class's simple name and {@code .java}). Cached, bounded.
 */
final class SourceFiles {
  private static final int MAX = 2048;

  private final Map<String, String> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > MAX;
        }
      };

  String of(String className) {
    String known = cache.get(className);
    if (known == null) {
      known = read(className);
      cache.put(className, known);
    }
    return known;
  }

  private static String read(String className) {
    int nested = className.indexOf('$');
    String outer = nested < 0 ? className : className.substring(0, nested);
    String resource = outer.replace('.', '/') + ".class";
    try (InputStream in = ClassLoader.getSystemResourceAsStream(resource)) {
      if (in != null) {
        String[] source = new String[1];
        new ClassReader(in)
            .accept(
                new ClassVisitor(Opcodes.ASM9) {
                  @Override
                  public void visitSource(String file, String debug) {
                    source[0] = file;
                  }
                },
                ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
        if (source[0] != null) {
          return source[0];
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not readable here: the convention below.
    }
    return outer.substring(outer.lastIndexOf('.') + 1) + ".java";
  }
}
