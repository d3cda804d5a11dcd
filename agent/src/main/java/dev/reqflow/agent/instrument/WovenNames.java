package dev.reqflow.agent.instrument;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Predicate;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The names of every class any instrumentation can weave: a check on a class's name alone that the
 * install makes before anything else, so that the thousands of classes already loaded at {@code
 * premain} (the JDK's, the agent's own) and every class that loads later are rejected by one string
 * comparison each, not put through some 40 type matchers (and, for the loaded ones, described,
 * located and reported to the listeners first).
 *
 * <p>A superset of what the instrumentations match: a name accepted here is still matched by the
 * instrumentations' own matchers. It must never reject a class an instrumentation matches (that
 * class would silently not be woven): {@code WovenNamesTest} puts every instrumentation's type
 * matchers to the classes of the JDK and of the client and server libraries on the test class path
 * and fails when one matches a class rejected here. Add the name here when an instrumentation
 * starts matching a new one.
 */
public final class WovenNames implements Predicate<String> {

  /** Prefixes of class names (a class's nested classes included), by instrumentation. */
  static final String[] PREFIXES = {
    // future, executor
    "java.util.concurrent.FutureTask",
    "java.util.concurrent.CompletableFuture",
    "java.util.concurrent.ThreadPoolExecutor",
    "java.util.concurrent.ForkJoinPool",
    "java.util.concurrent.ThreadPerTaskExecutor",
    // lock
    "java.util.concurrent.locks.AbstractQueued",
    "java.lang.VirtualThread",
    // jdkhttp
    "jdk.internal.net.http.HttpClientImpl",
    "jdk.internal.net.http.ConnectionPool",
    "jdk.internal.net.http.ResponseSubscribers$HttpResponseInputStream",
    // socket
    "sun.nio.ch.NioSocketImpl",
    "sun.nio.ch.SocketChannelImpl",
    // urlconnection
    "sun.net.www.protocol.http.HttpURLConnection",
    "sun.net.www.protocol.https.AbstractDelegateHttpsURLConnection",
    "sun.net.www.protocol.https.HttpsClient",
    "sun.net.www.http.HttpClient",
    // okhttp
    "okhttp3.internal.connection.RealCall",
    "okhttp3.internal.connection.Exchange$ResponseBodySource",
    "okhttp3.internal.http.RealInterceptorChain",
    // apache 5.x
    "org.apache.hc.client5.http.impl.classic.InternalHttpClient",
    "org.apache.hc.client5.http.impl.classic.MinimalHttpClient",
    "org.apache.hc.client5.http.impl.classic.CloseableHttpClient",
    "org.apache.hc.client5.http.impl.classic.InternalExecRuntime",
    "org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager",
    "org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection",
    "org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient",
    "org.apache.hc.core5.http.nio.support.BasicRequestProducer",
    "org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager",
    "org.apache.hc.core5.http.nio.support.AbstractAsyncResponseConsumer",
    "org.apache.hc.core5.http.nio.support.BasicResponseConsumer",
    "org.apache.hc.core5.concurrent.BasicFuture",
    // apache 4.x
    "org.apache.http.impl.client.InternalHttpClient",
    "org.apache.http.impl.client.MinimalHttpClient",
    "org.apache.http.impl.client.CloseableHttpClient",
    "org.apache.http.impl.conn.PoolingHttpClientConnectionManager",
    "org.apache.http.protocol.HttpRequestExecutor",
    // server
    "com.sun.net.httpserver.Filter$Chain",
    "jakarta.servlet.http.HttpServlet",
    "javax.servlet.http.HttpServlet",
    // reactor, webclient
    "reactor.core.publisher.Blocking",
    "org.springframework.web.reactive.function.client.DefaultClientRequestBuilder",
    // reactornetty
    "reactor.netty.http.client.HttpClientConnect$",
    "reactor.netty.http.client.HttpClientOperations",
    "reactor.netty.channel.ChannelOperations",
    "reactor.netty.resources.PooledConnectionProvider",
    "reactor.netty.transport.TransportConnector",
    "reactor.netty.http.server.HttpServer$HttpServerHandle",
    "reactor.netty.http.server.HttpTrafficHandler",
    "reactor.netty.http.server.HttpServerOperations",
    // jetty
    "org.eclipse.jetty.client.InputStreamResponseListener",
    "org.eclipse.jetty.client.util.InputStreamResponseListener",
  };

  /**
   * Parts of class names matched anywhere: the servlet containers' own {@code AsyncContext}
   * implementations (Tomcat's, Jetty's, Undertow's: any package), server instrumentation.
   */
  static final String[] FRAGMENTS = {"AsyncContext"};

  private final Set<String> exact;

  private WovenNames(Set<String> exact) {
    this.exact = exact;
  }

  /**
   * With the types the options name for flows and sections ({@code flows=}, {@code sections=}:
   * {@code class#method}, method instrumentation), matched by their exact names.
   */
  public static WovenNames withTypes(Collection<String> typeNames) {
    return new WovenNames(Set.copyOf(typeNames));
  }

  /** The class names of {@code class#method} patterns. */
  public static List<String> typesOf(Collection<String> methodPatterns) {
    List<String> out = new ArrayList<>();
    for (String p : methodPatterns) {
      int hash = p.indexOf('#');
      out.add(hash < 0 ? p : p.substring(0, hash));
    }
    return out;
  }

  /** True when some instrumentation may weave the class named {@code className} (binary name). */
  @Override
  public boolean test(String className) {
    for (String p : PREFIXES) {
      if (className.startsWith(p)) {
        return true;
      }
    }
    for (String f : FRAGMENTS) {
      if (className.contains(f)) {
        return true;
      }
    }
    return exact.contains(className);
  }

  /** The same check as a type matcher on the type's name, for ByteBuddy's ignore rule. */
  public ElementMatcher.Junction<TypeDescription> typeMatcher() {
    return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
      @Override
      public boolean matches(TypeDescription type) {
        return test(type.getName());
      }

      @Override
      public String toString() {
        return "wovenNames()";
      }
    };
  }

  /**
   * ByteBuddy's discovery of the loaded classes to consider for retransformation, with the classes
   * this rejects left out before ByteBuddy looks at them (no module, class file locator, type
   * description or listener call for them).
   */
  public AgentBuilder.RedefinitionStrategy.DiscoveryStrategy discovery(
      AgentBuilder.RedefinitionStrategy.DiscoveryStrategy delegate) {
    WovenNames names = this;
    return instrumentation -> {
      Iterable<Iterable<Class<?>>> batches = delegate.resolve(instrumentation);
      return () -> new Mapped(batches.iterator(), names);
    };
  }

  /** Each of a discovery's batches, filtered. */
  private static final class Mapped implements Iterator<Iterable<Class<?>>> {
    private final Iterator<Iterable<Class<?>>> batches;
    private final WovenNames names;

    Mapped(Iterator<Iterable<Class<?>>> batches, WovenNames names) {
      this.batches = batches;
      this.names = names;
    }

    @Override
    public boolean hasNext() {
      return batches.hasNext();
    }

    @Override
    public Iterable<Class<?>> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      List<Class<?>> kept = new ArrayList<>();
      for (Class<?> c : batches.next()) {
        if (c != null && names.test(c.getName())) {
          kept.add(c);
        }
      }
      return kept;
    }
  }
}
