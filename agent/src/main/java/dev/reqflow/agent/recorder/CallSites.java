package dev.reqflow.agent.recorder;

import java.util.Optional;

/** Finds the application's frame that issued a call or waits: the first outside libraries. */
final class CallSites {

  private static final StackWalker WALKER = StackWalker.getInstance();

  private CallSites() {}

  static StackWalker.StackFrame find() {
    Optional<StackWalker.StackFrame> frame =
        WALKER.walk(s -> s.filter(f -> !isLibrary(f.getClassName())).findFirst());
    return frame.orElse(null);
  }

  static boolean isLibrary(String className) {
    return className.startsWith("java.")
        || className.startsWith("jdk.")
        || className.startsWith("sun.")
        || className.startsWith("com.sun.")
        || className.startsWith("okhttp3.")
        || className.startsWith("okio.")
        || className.startsWith("kotlin.")
        || className.startsWith("kotlinx.coroutines.")
        || className.startsWith("dev.reqflow.agent.");
  }
}
