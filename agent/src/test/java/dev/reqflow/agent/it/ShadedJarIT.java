package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** The agent jar carries only our package and META-INF at its root, and declares the agent. */
class ShadedJarIT {

  @Test
  void onlyOurPackageAndMetaInfAtTheRoot() throws Exception {
    Set<String> roots = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    try (JarFile jar = new JarFile(AgentRun.agentJar().toFile())) {
      jar.stream()
          .forEach(
              e -> {
                String n = e.getName();
                names.add(n);
                int slash = n.indexOf('/');
                roots.add(slash < 0 ? n : n.substring(0, slash + 1));
              });
      Manifest m = jar.getManifest();
      assertThat(m.getMainAttributes().getValue("Premain-Class"))
          .isEqualTo("dev.reqflow.agent.ReqflowAgent");
      assertThat(m.getMainAttributes().getValue("Agent-Class"))
          .isEqualTo("dev.reqflow.agent.ReqflowAgent");
      assertThat(m.getMainAttributes().getValue("Can-Retransform-Classes")).isEqualTo("true");
    }
    assertThat(roots).containsExactlyInAnyOrder("dev/", "META-INF/");
    assertThat(names).anyMatch(n -> n.startsWith("dev/reqflow/agent/shaded/net/bytebuddy/"));
    assertThat(names)
        .anyMatch(n -> n.startsWith("dev/reqflow/agent/shaded/io/opentelemetry/sdk/trace/"));
    assertThat(names).contains("dev/reqflow/contract/TraceContract.class");
    // From core only the contract; never the app's OkHttp or an OkHttp sender.
    assertThat(names)
        .allMatch(
            n ->
                !n.endsWith(".class")
                    || !n.startsWith("dev/reqflow/")
                    || n.startsWith("dev/reqflow/agent/")
                    || n.startsWith("dev/reqflow/contract/"));
    assertThat(names).noneMatch(n -> n.contains("okhttp3/") && n.contains("shaded"));
    assertThat(names).noneMatch(n -> n.contains("sender/okhttp"));
    assertThat(names).noneMatch(n -> n.contains("google/protobuf"));
    // Lean: traces only. No metrics or logs SDK, exporter or marshaler is shipped.
    assertThat(names)
        .noneMatch(n -> n.contains("/sdk/metrics/") || n.contains("/sdk/logs/"))
        .noneMatch(n -> n.contains("/exporter/otlp/") && n.matches(".*(Metric|LogRecord).*"))
        .noneMatch(
            n -> n.contains("/internal/otlp/metrics/") || n.contains("/internal/otlp/logs/"));
  }

  /**
   * The SDK's service files are relocated with its classes and name only relocated classes: the
   * agent's service loading finds its own providers (the OTLP exporter's, the JDK sender's), never
   * the application's OpenTelemetry, whose interfaces have other names.
   */
  @Test
  void serviceFilesAreRelocatedWithTheSdk() throws Exception {
    Map<String, String> services = new TreeMap<>();
    try (JarFile jar = new JarFile(AgentRun.agentJar().toFile())) {
      for (JarEntry e : java.util.Collections.list(jar.entries())) {
        if (e.getName().startsWith("META-INF/services/") && !e.isDirectory()) {
          try (InputStream in = jar.getInputStream(e)) {
            services.put(
                e.getName().substring("META-INF/services/".length()),
                new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }
        }
      }
    }
    String shaded = "dev.reqflow.agent.shaded.";
    assertThat(services)
        .containsKey(
            shaded
                + "io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider")
        .containsKey(shaded + "io.opentelemetry.sdk.common.export.HttpSenderProvider");
    assertThat(services.keySet()).allMatch(k -> k.startsWith(shaded), "relocated service names");
    assertThat(services.values())
        .allSatisfy(
            v ->
                assertThat(
                        v.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")))
                    .allMatch(l -> l.startsWith(shaded)));
    assertThat(services.keySet())
        .noneMatch(k -> k.contains("MetricExporterProvider") || k.contains("LogRecordExporter"));
  }

  /**
   * The shipped jar still takes the application's own Jackson, OpenTelemetry and ByteBuddy frames
   * for libraries': relocation rewrites string constants naming those packages, and a call site at
   * Jackson's {@code ByteSourceJsonBootstrapper} (a RestTemplate body read, seen on a real service)
   * is what a rewritten prefix gave.
   */
  @Test
  void relocationLeavesTheLibraryPrefixesOfCallSitesAlone() throws Exception {
    try (java.net.URLClassLoader jar =
        new java.net.URLClassLoader(
            new java.net.URL[] {AgentRun.agentJar().toUri().toURL()},
            ClassLoader.getPlatformClassLoader())) {
      java.lang.reflect.Method first =
          Class.forName("dev.reqflow.agent.recorder.CallSites", true, jar)
              .getMethod("firstApplicationFrame", java.util.List.class);
      for (String library :
          java.util.List.of(
              "com.fasterxml.jackson.core.json.ByteSourceJsonBootstrapper",
              "io.opentelemetry.context.Context",
              "net.bytebuddy.ByteBuddy")) {
        assertThat(first.invoke(null, java.util.List.of(library, "com.example.shop.Checkout")))
            .as("%s is a library's frame, the application's line is next", library)
            .isEqualTo(1);
      }
    }
  }
}
