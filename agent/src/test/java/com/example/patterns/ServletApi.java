package com.example.patterns;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Requests and responses of the real servlet API interfaces, as a container would pass them. */
final class ServletApi {
  private ServletApi() {}

  /** {@code api} answering the named no-argument getters; every other method returns a default. */
  static <T> T implement(Class<T> api, Map<String, Object> answers) {
    return api.cast(
        Proxy.newProxyInstance(
            api.getClassLoader(),
            new Class<?>[] {api},
            (proxy, method, args) -> {
              Object answer = answers.get(method.getName());
              if (answer != null) {
                return answer;
              }
              Class<?> r = method.getReturnType();
              if (r == boolean.class) {
                return false;
              }
              if (r == int.class) {
                return 0;
              }
              if (r == long.class) {
                return 0L;
              }
              return method.getName().equals("toString") ? api.getSimpleName() : null;
            }));
  }
}
