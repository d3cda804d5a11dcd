package dev.reqflow.agent.instrument.server;

import java.lang.reflect.Method;

/** Reads a servlet request and response through the API interfaces they implement. */
public final class ServletRequests {
  private ServletRequests() {}

  /** Method, path, path with query, traceparent header; null when not an HTTP request. */
  public static String[] describe(Object request) {
    try {
      Class<?> api = httpInterface(request.getClass(), "HttpServletRequest");
      if (api == null) {
        return null;
      }
      String method = (String) api.getMethod("getMethod").invoke(request);
      String path = (String) api.getMethod("getRequestURI").invoke(request);
      String query = (String) api.getMethod("getQueryString").invoke(request);
      String tp = (String) api.getMethod("getHeader", String.class).invoke(request, "traceparent");
      return new String[] {method, path, query == null ? path : path + "?" + query, tp};
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  public static int status(Object response) {
    try {
      Class<?> api = httpInterface(response.getClass(), "HttpServletResponse");
      if (api == null) {
        return 0;
      }
      Method m = api.getMethod("getStatus");
      return (Integer) m.invoke(response);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return 0;
    }
  }

  private static Class<?> httpInterface(Class<?> type, String simpleName) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        Class<?> found = find(i, simpleName);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static Class<?> find(Class<?> i, String simpleName) {
    String n = i.getName();
    if (n.equals("jakarta.servlet.http." + simpleName)
        || n.equals("javax.servlet.http." + simpleName)) {
      return i;
    }
    for (Class<?> sup : i.getInterfaces()) {
      Class<?> found = find(sup, simpleName);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
