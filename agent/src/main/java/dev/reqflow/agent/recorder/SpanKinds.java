package dev.reqflow.agent.recorder;

import java.lang.reflect.Method;

/**
 * Whether another copy of OpenTelemetry's span (the application's SDK, the OpenTelemetry Java
 * agent's) is a SERVER span. The API's {@code Span} does not say; the SDK's spans do ({@code
 * ReadableSpan.getKind()}), read by reflection and looked up once per span class. A span without
 * that method (a remote parent wrapped from headers, a no-op) is not taken for a server span.
 */
final class SpanKinds {

  private static final ClassValue<Method> GET_KIND =
      new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
          // The SDK's span class is not public: its interface's method is the one to call.
          for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
              Method m = publicGetKind(i);
              if (m != null) {
                return m;
              }
            }
          }
          return null;
        }
      };

  private SpanKinds() {}

  private static Method publicGetKind(Class<?> type) {
    if (java.lang.reflect.Modifier.isPublic(type.getModifiers())) {
      try {
        Method m = type.getMethod("getKind");
        if (m.getReturnType().isEnum()) {
          return m;
        }
      } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
        // Not this interface.
      }
    }
    for (Class<?> i : type.getInterfaces()) {
      Method m = publicGetKind(i);
      if (m != null) {
        return m;
      }
    }
    return null;
  }

  static boolean isServer(Object span) {
    if (span == null) {
      return false;
    }
    Method m = GET_KIND.get(span.getClass());
    if (m == null) {
      return false;
    }
    try {
      Object kind = m.invoke(span);
      return kind instanceof Enum && ((Enum<?>) kind).name().equals("SERVER");
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }
}
