package dev.reqflow.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.agent.instrument.WovenNames;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.FutureTask;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link WovenNames} accepts every class an instrumentation matches, on the classes of the JDK and
 * of the client and server libraries on the test class path: a name left out of it would silently
 * not be woven.
 */
class WovenNamesTest {

  private static final List<String> METHODS = List.of("com.example.Shop#checkout");

  /** Every type matcher the install gives ByteBuddy, in the order the instrumentations add them. */
  private static List<ElementMatcher<? super TypeDescription>> matchers;

  /** Binary names of the JDK's classes and of the test class path's jars. */
  private static Set<String> corpus;

  @BeforeAll
  static void recordMatchersAndListClasses() throws IOException {
    matchers = recordedTypeMatchers(METHODS);
    corpus = new TreeSet<>();
    jdkClasses(corpus);
    classPathJarClasses(corpus);
  }

  @Test
  void everyTypeAnInstrumentationMatchesIsAcceptedByName() {
    WovenNames woven = WovenNames.withTypes(WovenNames.typesOf(METHODS));
    TypePool pool =
        new TypePool.Default.WithLazyResolution(
            new TypePool.CacheProvider.Simple(),
            ClassFileLocator.ForClassLoader.ofSystemLoader(),
            TypePool.Default.ReaderMode.FAST);
    Set<String> matched = new TreeSet<>();
    List<String> escaped = new ArrayList<>();
    for (String name : corpus) {
      TypeDescription type = pool.describe(name).resolve();
      for (ElementMatcher<? super TypeDescription> m : matchers) {
        boolean matches;
        try {
          matches = m.matches(type);
        } catch (RuntimeException | LinkageError e) {
          matches = true; // undecided (a super type not on the class path): may match
        }
        if (matches) {
          matched.add(name);
          if (!woven.test(name)) {
            escaped.add(name + " (" + m + ")");
          }
        }
      }
    }
    assertThat(escaped).as("types matched but rejected by WovenNames").isEmpty();
    // The corpus holds each instrumentation's targets: the check above is not vacuous.
    assertThat(matched)
        .contains(
            "java.util.concurrent.FutureTask",
            "java.util.concurrent.CompletableFuture$UniApply",
            "java.util.concurrent.CompletableFuture$BiRelay",
            "java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer",
            "jdk.internal.net.http.HttpClientImpl",
            "sun.nio.ch.NioSocketImpl",
            "sun.net.www.protocol.http.HttpURLConnection",
            "com.sun.net.httpserver.Filter$Chain",
            "okhttp3.internal.connection.RealCall",
            "org.apache.hc.core5.concurrent.BasicFuture",
            "org.apache.http.impl.client.InternalHttpClient",
            "jakarta.servlet.http.HttpServlet",
            "javax.servlet.http.HttpServlet",
            "reactor.netty.http.client.HttpClientOperations",
            "org.eclipse.jetty.client.InputStreamResponseListener");
    // Jetty's own AsyncContext, matched through its super type, not its package.
    assertThat(matched).anyMatch(n -> n.startsWith("org.eclipse.jetty.") && n.contains("Async"));
  }

  @Test
  void rejectsAlmostEveryClassOfTheJdkAndTheLibraries() {
    WovenNames woven = WovenNames.withTypes(WovenNames.typesOf(METHODS));
    long accepted = corpus.stream().filter(woven).count();
    assertThat(corpus).hasSizeGreaterThan(20_000);
    assertThat(accepted).isLessThan(corpus.size() / 100);
    assertThat(woven.test("java.lang.String")).isFalse();
    assertThat(woven.test("java.util.concurrent.ConcurrentHashMap")).isFalse();
  }

  @Test
  void acceptsTheTypesNamedForFlowsAndSectionsExactly() {
    WovenNames woven = WovenNames.withTypes(WovenNames.typesOf(METHODS));
    assertThat(woven.test("com.example.Shop")).isTrue();
    assertThat(woven.test("com.example.Shop$Cart")).isFalse();
    assertThat(woven.test("com.example.Shopping")).isFalse();
    TypeDescription shop =
        new TypeDescription.Latent(
            "com.example.Shop", Modifier.PUBLIC, TypeDescription.Generic.OBJECT);
    assertThat(matchers).anyMatch(m -> m.matches(shop));
  }

  @Test
  void discoveryKeepsOnlyTheAcceptedLoadedClasses() {
    WovenNames woven = WovenNames.withTypes(List.of());
    AgentBuilder.RedefinitionStrategy.DiscoveryStrategy all =
        inst -> List.of(List.of(String.class, FutureTask.class), List.of(Thread.class));
    List<List<Class<?>>> batches = new ArrayList<>();
    for (Iterable<Class<?>> batch : woven.discovery(all).resolve(null)) {
      List<Class<?>> kept = new ArrayList<>();
      batch.forEach(kept::add);
      batches.add(kept);
    }
    assertThat(batches).containsExactly(List.of(FutureTask.class), List.of());
  }

  /**
   * The type matchers of {@link Installer#instrumentations}, recorded by an {@link AgentBuilder}
   * that only notes what {@code type(...)} is given.
   */
  @SuppressWarnings("unchecked")
  private static List<ElementMatcher<? super TypeDescription>> recordedTypeMatchers(
      List<String> methods) {
    List<ElementMatcher<? super TypeDescription>> out = new ArrayList<>();
    Object[] self = new Object[1];
    self[0] =
        Proxy.newProxyInstance(
            WovenNamesTest.class.getClassLoader(),
            new Class<?>[] {
              AgentBuilder.Identified.Narrowable.class, AgentBuilder.Identified.Extendable.class
            },
            (proxy, method, args) -> {
              if (method.getName().equals("type")) {
                out.add((ElementMatcher<? super TypeDescription>) args[0]);
              }
              switch (method.getName()) {
                case "toString":
                  return "recording AgentBuilder";
                case "hashCode":
                  return System.identityHashCode(proxy);
                case "equals":
                  return proxy == args[0];
                default:
                  break;
              }
              return self[0];
            });
    Installer.instrumentations((AgentBuilder) self[0], Installer.class.getClassLoader(), methods);
    assertThat(out).hasSizeGreaterThan(30);
    return out;
  }

  private static void jdkClasses(Set<String> out) throws IOException {
    FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
    try (Stream<Path> modules = Files.list(jrt.getPath("/modules"))) {
      for (Path module : (Iterable<Path>) modules::iterator) {
        try (Stream<Path> files = Files.walk(module)) {
          files
              .map(p -> module.relativize(p).toString())
              .filter(WovenNamesTest::isClassFile)
              .forEach(f -> out.add(binaryName(f)));
        }
      }
    }
  }

  /** The jars on the class path, found through their manifests (Surefire may use a booter jar). */
  private static void classPathJarClasses(Set<String> out) throws IOException {
    Enumeration<URL> manifests =
        WovenNamesTest.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
    while (manifests.hasMoreElements()) {
      URL url = manifests.nextElement();
      if (!url.getProtocol().equals("jar")) {
        continue;
      }
      JarURLConnection c = (JarURLConnection) url.openConnection();
      c.setUseCaches(false);
      try (JarFile jar = new JarFile(Path.of(URI.create(c.getJarFileURL().toString())).toFile())) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          String f = e.nextElement().getName();
          if (isClassFile(f) && !f.startsWith("META-INF/")) {
            out.add(binaryName(f));
          }
        }
      }
    }
  }

  private static boolean isClassFile(String f) {
    return f.endsWith(".class")
        && !f.endsWith("module-info.class")
        && !f.endsWith("package-info.class");
  }

  private static String binaryName(String classFile) {
    return classFile.substring(0, classFile.length() - ".class".length()).replace('/', '.');
  }
}
