package dev.reqflow.agent.recorder;

import java.util.List;
import java.util.Optional;

/**
 * Finds the application's frame that issued a call or waits: the first frame of the packages named
 * in {@code app.packages} when there are some, else the first frame outside the JDK, reflection and
 * proxies, and the libraries and frameworks that sit between an application and its HTTP client (so
 * that a {@code RestTemplate} call points at the line that called {@code getForObject}, not at
 * Spring's request factory).
 */
public final class CallSites {

  private static final StackWalker WALKER = StackWalker.getInstance();

  /**
   * Packages (with their trailing dot) of the JDK, the agent, and the libraries and frameworks an
   * application calls through: never the application's own line. Kept by name so that shading does
   * not relocate them.
   */
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
    "net.bytebuddy.",
    "io.github.resilience4j.",
    "io.micrometer.",
    "io.opentelemetry.",
    "com.netflix.",
    "com.fasterxml.jackson.",
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
  }

  static StackWalker.StackFrame find() {
    String[] app = appPackages;
    if (app.length > 0) {
      Optional<StackWalker.StackFrame> own =
          WALKER.walk(s -> s.filter(f -> startsWithAny(f.getClassName(), app)).findFirst());
      if (own.isPresent()) {
        return own.get();
      }
    }
    return WALKER.walk(s -> s.filter(f -> !isLibrary(f.getClassName())).findFirst()).orElse(null);
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

  private static boolean startsWithAny(String className, String[] prefixes) {
    for (String p : prefixes) {
      if (className.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
