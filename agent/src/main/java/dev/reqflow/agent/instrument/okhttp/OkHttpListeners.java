package dev.reqflow.agent.instrument.okhttp;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.SimpleRemapper;

/**
 * Chains a {@link ChainedEventListener} in front of the event listener of a recorded OkHttp call.
 *
 * <p>OkHttp often lives in a class loader that the agent's (the system class loader) cannot see: a
 * Spring Boot fat jar's nested jars, a webapp's {@code WEB-INF/lib}. A listener has to extend that
 * loader's {@code okhttp3.EventListener}, so the listener's class file is defined in OkHttp's own
 * package and loader, renamed to {@value #HELPER}, through a private lookup on {@code
 * EventListener}: a JDK API that needs no {@code Unsafe} and opens nothing of the JDK. One
 * definition per loader, on the first recorded call; other deployments take the same path. Woven
 * code never names the listener (it calls the bridge), and the agent reaches it by reflection only,
 * so neither side links against an OkHttp the other cannot see.
 */
public final class OkHttpListeners {
  /** The listener's name where it is defined: beside {@code okhttp3.EventListener}. */
  static final String HELPER = "okhttp3.ReqflowEventListener";

  /** The class file of {@link ChainedEventListener}, named as a string: never loaded here. */
  static final String SOURCE = "dev/reqflow/agent/instrument/okhttp/ChainedEventListener";

  private static final String REAL_CALL = "okhttp3.internal.connection.RealCall";

  /** Serialises definitions, so that two first calls in one loader do not define it twice. */
  private static final Object DEFINE_LOCK = new Object();

  /** Per call class (so per OkHttp copy), held as weakly as the class itself. */
  private static final ClassValue<Chaining> CHAINING =
      new ClassValue<>() {
        @Override
        protected Chaining computeValue(Class<?> type) {
          return Chaining.of(type);
        }
      };

  private OkHttpListeners() {}

  /**
   * Puts our listener in front of the listener of {@code call}, an OkHttp {@code RealCall} about to
   * be executed or enqueued; other objects are left alone.
   *
   * @throws IllegalStateException when the listener cannot be chained for this OkHttp; the call is
   *     then recorded without its phases
   */
  public static void chain(Object call) {
    CHAINING.get(call.getClass()).chain(call);
  }

  /** The listener's class file, renamed to {@value #HELPER}. */
  static byte[] helperBytes() throws IOException {
    byte[] original;
    try (InputStream in =
        OkHttpListeners.class.getClassLoader().getResourceAsStream(SOURCE + ".class")) {
      if (in == null) {
        throw new IOException("missing " + SOURCE + ".class in the agent jar");
      }
      original = in.readAllBytes();
    }
    ClassWriter writer = new ClassWriter(0);
    new ClassReader(original)
        .accept(new ClassRemapper(writer, new SimpleRemapper(SOURCE, HELPER.replace('.', '/'))), 0);
    return writer.toByteArray();
  }

  /** How to chain a listener into calls of one class; {@link #NONE} for classes that are not. */
  private static final class Chaining {
    static final Chaining NONE = new Chaining(null, null, null);

    private final Field listener;
    private final Constructor<?> create;
    private final Throwable failure;

    private Chaining(Field listener, Constructor<?> create, Throwable failure) {
      this.listener = listener;
      this.create = create;
      this.failure = failure;
    }

    static Chaining of(Class<?> callType) {
      if (!callType.getName().equals(REAL_CALL)) {
        return NONE;
      }
      try {
        Field f = callType.getDeclaredField("eventListener");
        f.setAccessible(true);
        Class<?> base = f.getType();
        Class<?> helper = defineBeside(base);
        return new Chaining(f, helper.getConstructor(base), null);
      } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
        return new Chaining(null, null, e);
      }
    }

    void chain(Object call) {
      if (failure != null) {
        throw new IllegalStateException("OkHttp event listener not chained", failure);
      }
      if (listener == null) {
        return;
      }
      try {
        Object current = listener.get(call);
        if (current != null && current.getClass() != create.getDeclaringClass()) {
          listener.set(call, create.newInstance(current));
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("OkHttp event listener not chained", e);
      }
    }

    /** Our listener in the package and loader of {@code base}, defined there once. */
    private static Class<?> defineBeside(Class<?> base) throws IllegalAccessException, IOException {
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(base, MethodHandles.lookup());
      synchronized (DEFINE_LOCK) {
        try {
          Class<?> existing = lookup.findClass(HELPER);
          // A parent loader's copy extends the parent's OkHttp, not this one.
          if (existing.getClassLoader() == base.getClassLoader()) {
            return existing;
          }
        } catch (ClassNotFoundException notYet) {
          // The first recorded call with this OkHttp: define it below.
        }
        return lookup.defineClass(helperBytes());
      }
    }
  }
}
