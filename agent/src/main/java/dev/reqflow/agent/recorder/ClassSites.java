package dev.reqflow.agent.recorder;

/**
 * What a stack walk needs to know of each class it passes, computed once per class instead of once
 * per frame and call: whether it is a library's or the application's (about 80 package prefixes
 * compared otherwise), and its lines that were sites, resolved once (a frame's line number and file
 * are the costly part of a {@code StackFrame}). Bounded: at most {@link #SITES_PER_CLASS} sites are
 * kept per class; a class with more resolves the others each time.
 */
final class ClassSites {
  static final int SITES_PER_CLASS = 64;

  private static final ClassValue<ClassSites> OF =
      new ClassValue<>() {
        @Override
        protected ClassSites computeValue(Class<?> type) {
          return new ClassSites(type.getName());
        }
      };

  /** Bumped when {@code app.packages} change: every class is classified again. */
  private static volatile int generation;

  /** The class's kind under one generation of {@code app.packages}; replaced, never changed. */
  private record Kind(int generation, boolean library, boolean app) {}

  /** A class's sites: parallel arrays, replaced as a whole when one is added. */
  private record Sites(int[] bcis, CodeSite[] sites) {}

  private static final Sites NONE = new Sites(new int[0], new CodeSite[0]);

  private final String name;
  private volatile Kind kind;
  private volatile Sites sites = NONE;

  private ClassSites(String name) {
    this.name = name;
  }

  static ClassSites of(Class<?> c) {
    return OF.get(c);
  }

  static void appPackagesChanged() {
    generation++;
  }

  /** Whether the class is in one of the libraries {@link CallSites#isLibrary} names. */
  boolean library(String[] appPackages) {
    return kind(appPackages).library;
  }

  /** Whether the class is in one of {@code app.packages}. */
  boolean app(String[] appPackages) {
    return kind(appPackages).app;
  }

  private Kind kind(String[] appPackages) {
    int g = generation;
    Kind k = kind;
    if (k == null || k.generation != g) {
      // Racy but idempotent: two threads compute the same answer.
      k = new Kind(g, CallSites.isLibrary(name), CallSites.startsWithAny(name, appPackages));
      kind = k;
    }
    return k;
  }

  /** The site of frame {@code f} of this class: cached by method name and byte code index. */
  CodeSite site(StackWalker.StackFrame f) {
    String method = f.getMethodName();
    int bci = f.getByteCodeIndex();
    Sites s = sites;
    for (int i = 0; i < s.bcis.length; i++) {
      if (s.bcis[i] == bci && s.sites[i].methodName.equals(method)) {
        return s.sites[i];
      }
    }
    CodeSite c = CodeSite.of(f);
    add(bci, c);
    return c;
  }

  private synchronized void add(int bci, CodeSite c) {
    Sites s = sites;
    int n = s.bcis.length;
    if (n >= SITES_PER_CLASS) {
      return;
    }
    for (int i = 0; i < n; i++) {
      if (s.bcis[i] == bci && s.sites[i].methodName.equals(c.methodName)) {
        return;
      }
    }
    int[] bcis = java.util.Arrays.copyOf(s.bcis, n + 1);
    CodeSite[] sites2 = java.util.Arrays.copyOf(s.sites, n + 1);
    bcis[n] = bci;
    sites2[n] = c;
    sites = new Sites(bcis, sites2);
  }
}
