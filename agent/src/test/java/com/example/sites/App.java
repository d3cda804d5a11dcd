package com.example.sites;

import java.util.function.Supplier;

/** An application frame, outside the agent's packages, for call-site tests. */
public final class App {
  private App() {}

  public static <T> T call(Supplier<T> s) {
    return s.get();
  }
}
