package dev.reqflow.agent.recorder;

/**
 * An application's line as a span's {@code code.*} attributes say it: {@code function} ({@code
 * class.method}), {@code file} (null when unknown), {@code line} (0 when unknown). One instance per
 * line that was ever a site: resolved from the stack the first time ({@link ClassSites}), then
 * shared by every call and wait made from it.
 */
final class CodeSite {
  final String className;
  final String methodName;
  final String function;
  final String file;
  final int line;

  CodeSite(String className, String methodName, String file, int line) {
    this.className = className;
    this.methodName = methodName;
    this.function = className + "." + methodName;
    this.file = file;
    this.line = line;
  }

  static CodeSite of(StackWalker.StackFrame f) {
    return new CodeSite(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber());
  }

  static CodeSite of(StackTraceElement e) {
    return new CodeSite(e.getClassName(), e.getMethodName(), e.getFileName(), e.getLineNumber());
  }

  String getClassName() {
    return className;
  }

  String getMethodName() {
    return methodName;
  }
}
