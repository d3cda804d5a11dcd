package dev.reqflow.agent.recorder;

import java.util.Iterator;
import java.util.List;

/**
 * Finds the application's frame that issued a call or waits: the first frame of the packages named
 * in {@code app.packages} when there are some, else the first frame outside the JDK, reflection and
 * proxies, and the libraries and frameworks that sit between an application and its HTTP client (so
 * that a {@code RestTemplate} call points at the line that called {@code getForObject}, not at
 * Spring's request factory).
 */
public final class CallSites {

  /**
   * With class references: each class is classified once ({@link ClassSites}), not each frame. With
   * reflection frames: they are the JDK's, skipped as a library's, and the walker's own check for
   * them took a fifth of a walk.
   *
   * <p>Called directly by the hooks ({@code WALKER.walk(FIND_CALL)}) rather than through {@link
   * #findCall}: the JDK 17 walker fills its first batch with the first 6 frames and each further
   * batch with up to 12 more, each frame costing about 0.1 µs, so one frame of ours fewer on top is
   * what keeps the JDK client's caller (7th frame below {@code findCall}) in the first batch.
   */
  static final StackWalker WALKER =
      StackWalker.getInstance(
          java.util.Set.of(
              StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_REFLECT_FRAMES));

  /**
   * Packages (with their trailing dot) of the JDK, the agent, and the libraries and frameworks an
   * application calls through: never the application's own line. The packages the agent jar
   * relocates (ByteBuddy, OpenTelemetry, Jackson) are joined from their parts at run time: the
   * shade plugin rewrites every string constant that names a relocated package, so written whole
   * they named the agent's own copies in the shipped jar, and an application's Jackson frame was
   * taken for its own line (a RestTemplate body read sited at {@code ByteSourceJsonBootstrapper}).
   */
  /**
   * A package prefix ({@code a.b.}) joined from its parts at run time, so that the agent jar's
   * relocation does not rewrite it into the agent's shaded copy of that package.
   */
  private static String unshaded(String... parts) {
    return String.join(".", parts) + ".";
  }

  private static final String[] LIBRARIES = {
    "java.",
    "javax.",
    "jakarta.",
    "jdk.",
    "sun.",
    "com.sun.",
    "dev.reqflow.agent.",
    // HTTP clients and what they are made of
    "okhttp3.",
    "okio.",
    "retrofit2.",
    "feign.",
    "org.apache.http.",
    "org.apache.hc.",
    "io.netty.",
    "reactor.",
    "org.asynchttpclient.",
    "io.vertx.",
    "io.grpc.",
    "org.eclipse.jetty.",
    "org.glassfish.jersey.",
    "org.jboss.resteasy.",
    // frameworks, proxies, resilience, serialization, observability
    "org.springframework.",
    "org.apache.catalina.",
    "org.apache.coyote.",
    "org.apache.tomcat.",
    "io.undertow.",
    "org.aopalliance.",
    "org.aspectj.",
    unshaded("net", "bytebuddy"),
    "io.github.resilience4j.",
    "io.micrometer.",
    unshaded("io", "opentelemetry"),
    "com.netflix.",
    unshaded("com", "fasterxml", "jackson"),
    "com.google.gson.",
    "com.google.common.",
    "kotlin.",
    "kotlinx.coroutines.",
    "org.slf4j.",
    "ch.qos.logback.",
    "org.apache.logging.",
    // clients the agent does not record, and the data-access layers above them: the site of a
    // socket read they make is the application's line that called them
    "com.squareup.okhttp.",
    "io.micronaut.",
    "io.helidon.",
    "com.linecorp.armeria.",
    "io.ktor.",
    "software.amazon.awssdk.",
    "org.elasticsearch.",
    "org.apache.thrift.",
    "com.google.api.client.",
    "org.postgresql.",
    "com.mysql.",
    "org.mariadb.",
    "oracle.jdbc.",
    "com.microsoft.sqlserver.",
    "com.mongodb.",
    "com.datastax.",
    "redis.clients.",
    "io.lettuce.",
    "net.spy.memcached.",
    "org.apache.kafka.",
    "com.zaxxer.hikari.",
    "org.hibernate.",
    "org.jooq.",
    "org.apache.ibatis.",
    "org.mybatis.",
  };

  /**
   * Methods (class and name) of synchronous APIs that wait inside for an asynchronous call they
   * issue: a call issued below one is one the application asked for synchronously. Spring's {@code
   * ClientHttpRequest.execute()} returns the response, and its request factories on an asynchronous
   * client ({@code JdkClientHttpRequestFactory}: {@code sendAsync} then {@code get}; {@code
   * ReactorClientHttpRequestFactory}: {@code block}) wait for it there, under {@code RestTemplate}
   * and {@code RestClient}.
   */
  private static final String[][] SYNCHRONOUS_APIS = {
    {"org.springframework.http.client.AbstractClientHttpRequest", "execute"},
  };

  /** The application's frame that issued a call, and whether it asked synchronously. */
  record Site(CodeSite frame, boolean synchronous) {}

  private static volatile String[] appPackages = new String[0];

  private CallSites() {}

  /**
   * The application's packages ({@code com.example}, {@code org.acme}): the first frame of one of
   * them is the call site. Empty: the library heuristic alone.
   */
  public static void appPackages(List<String> packages) {
    String[] p = new String[packages.size()];
    for (int i = 0; i < p.length; i++) {
      String name = packages.get(i);
      p[i] = name.endsWith(".") ? name : name + ".";
    }
    appPackages = p;
    ClassSites.appPackagesChanged();
  }

  /**
   * The application's frame on the current thread's stack, by the rules above; null when there is
   * none. A walk of the stack, but each class on it is classified once and each line resolved once
   * ({@link ClassSites}): the line numbers and the 80 prefixes are not paid again per call.
   */
  static CodeSite find() {
    return WALKER.walk(FIND);
  }

  /**
   * The line that made a thread pool: the first frame below the agent's and {@code
   * java.util.concurrent}'s ({@code Executors.newFixedThreadPool}, a subclass's constructor of the
   * JDK's), when it is the application's; null when a library made the pool (Spring's {@code
   * ThreadPoolTaskExecutor}, OkHttp's dispatcher): the application's frames further down (its
   * {@code main}, under the framework's start) would name a line that does not size the pool.
   */
  static final java.util.function.Function<
          java.util.stream.Stream<StackWalker.StackFrame>, CodeSite>
      FIND_POOL_MAKER =
          s -> {
            String[] app = appPackages;
            for (Iterator<StackWalker.StackFrame> it = s.iterator(); it.hasNext(); ) {
              StackWalker.StackFrame f = it.next();
              String name = f.getClassName();
              if (name.startsWith("dev.reqflow.agent.")
                  || name.startsWith("java.util.concurrent.")) {
                continue;
              }
              ClassSites c = ClassSites.of(f.getDeclaringClass());
              boolean application = app.length == 0 ? !c.library(app) : c.app(app);
              return application ? c.site(f) : null;
            }
            return null;
          };

  static final java.util.function.Function<
          java.util.stream.Stream<StackWalker.StackFrame>, CodeSite>
      FIND =
          s -> {
            String[] app = appPackages;
            StackWalker.StackFrame outsideLibraries = null;
            ClassSites outsideSites = null;
            for (Iterator<StackWalker.StackFrame> it = s.iterator(); it.hasNext(); ) {
              StackWalker.StackFrame f = it.next();
              ClassSites c = ClassSites.of(f.getDeclaringClass());
              if (app.length == 0) {
                if (!c.library(app)) {
                  return c.site(f);
                }
              } else if (c.app(app)) {
                return c.site(f);
              } else if (outsideLibraries == null && !c.library(app)) {
                outsideLibraries = f;
                outsideSites = c;
              }
            }
            return outsideLibraries == null ? null : outsideSites.site(outsideLibraries);
          };

  /**
   * The first application frame of a stack given as its frames' class names, top first, by the same
   * rules as the call site of a call: the first of {@code app.packages} when there are some, else
   * the first outside the JDK, the agent and the libraries above; -1 when there is none.
   */
  public static int firstApplicationFrame(List<String> classNames) {
    String[] app = appPackages;
    if (app.length > 0) {
      for (int i = 0; i < classNames.size(); i++) {
        if (startsWithAny(classNames.get(i), app)) {
          return i;
        }
      }
    }
    for (int i = 0; i < classNames.size(); i++) {
      if (!isLibrary(classNames.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** The JDK's own packages: a lock taken in them was taken for whoever called the JDK. */
  private static final String[] JDK = {"java.", "jdk.", "sun.", "com.sun."};

  /**
   * True when a lock waited for at the top of this stack (class names, top first) was taken by the
   * application: the first frame outside the JDK is the application's. False for a lock of a
   * library (an HTTP client's connection pool taken on its own threads or inside the app's
   * callback), of the agent, or when no frame outside the JDK is left.
   */
  public static boolean takenByApplication(List<String> classNames) {
    for (String c : classNames) {
      if (!startsWithAny(c, JDK)) {
        return startsWithAny(c, appPackages) || !isLibrary(c);
      }
    }
    return false;
  }

  /**
   * As {@link #find}, for a call: also tells whether a {@linkplain #SYNCHRONOUS_APIS synchronous
   * API} lies between the application's frame and the client, in the same walk of the stack.
   */
  static Site findCall() {
    return WALKER.walk(FIND_CALL);
  }

  static final java.util.function.Function<java.util.stream.Stream<StackWalker.StackFrame>, Site>
      FIND_CALL =
          s -> {
            String[] app = appPackages;
            boolean synchronous = false;
            StackWalker.StackFrame outsideLibraries = null;
            ClassSites outsideSites = null;
            for (Iterator<StackWalker.StackFrame> it = s.iterator(); it.hasNext(); ) {
              StackWalker.StackFrame f = it.next();
              ClassSites c = ClassSites.of(f.getDeclaringClass());
              boolean library = c.library(app);
              if (app.length > 0 ? c.app(app) : !library) {
                return new Site(c.site(f), synchronous);
              }
              if (!library && outsideLibraries == null) {
                outsideLibraries = f;
                outsideSites = c;
              }
              synchronous |= library && outsideLibraries == null && isSynchronousApi(f);
            }
            return new Site(
                outsideLibraries == null ? null : outsideSites.site(outsideLibraries), synchronous);
          };

  static boolean isSynchronousApi(StackWalker.StackFrame f) {
    for (String[] m : SYNCHRONOUS_APIS) {
      if (m[0].equals(f.getClassName()) && m[1].equals(f.getMethodName())) {
        return true;
      }
    }
    return false;
  }

  /**
   * As {@link #takenByApplication(List)}, for a lock the current thread waits for now, below the
   * agent's own frames (the advice that reports it).
   */
  static boolean takenByApplication() {
    return WALKER.walk(
        s ->
            s.map(StackWalker.StackFrame::getClassName)
                .dropWhile(c -> c.startsWith("dev.reqflow.agent."))
                .filter(c -> !startsWithAny(c, JDK))
                .findFirst()
                .map(c -> startsWithAny(c, appPackages) || !isLibrary(c))
                .orElse(false));
  }

  /**
   * The application's frame in a stack sampled from another thread ({@code Thread.getStackTrace}),
   * by the same rule as {@link #find()}; null when there is none.
   */
  static StackTraceElement find(StackTraceElement[] stack) {
    String[] app = appPackages;
    if (app.length > 0) {
      for (StackTraceElement e : stack) {
        if (startsWithAny(e.getClassName(), app)) {
          return e;
        }
      }
    }
    for (StackTraceElement e : stack) {
      if (!isLibrary(e.getClassName())) {
        return e;
      }
    }
    return null;
  }

  static boolean isLibrary(String className) {
    return startsWithAny(className, LIBRARIES)
        // JDK dynamic proxies and generated subclasses (Spring's CGLIB, Feign's and Retrofit's
        // interface proxies) stand in front of the application's own frame.
        || className.contains("$Proxy")
        || className.contains("$$SpringCGLIB$$")
        || className.contains("$$EnhancerBySpringCGLIB$$");
  }

  static boolean startsWithAny(String className, String[] prefixes) {
    for (String p : prefixes) {
      if (className.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
