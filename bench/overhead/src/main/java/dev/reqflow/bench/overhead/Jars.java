package dev.reqflow.bench.overhead;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The jars a run starts: the sample app, our agent, the OpenTelemetry Java agent and Glowroot's.
 */
record Jars(Path sampleApp, Path reqflowAgent, Path otelAgent, Path glowrootAgent) {

  /**
   * The jars beside this build, each replaced by the one its option names: {@code --sample-app},
   * {@code --agent}, {@code --otel-agent} (keys without their dashes).
   */
  static Jars fromOptions(java.util.Map<String, String> m) {
    Jars jars = besideThisBuild();
    if (m.containsKey("sample-app")) {
      jars = jars.withSampleApp(Path.of(m.get("sample-app")));
    }
    if (m.containsKey("agent")) {
      jars = jars.withReqflowAgent(Path.of(m.get("agent")));
    }
    if (m.containsKey("otel-agent")) {
      jars = jars.withOtelAgent(Path.of(m.get("otel-agent")));
    }
    return jars;
  }

  /**
   * The jars where the reactor build leaves them, found from this benchmark's own jar in {@code
   * bench/overhead/target/}.
   */
  static Jars besideThisBuild() {
    Path root = Path.of("").toAbsolutePath();
    try {
      Path self = Path.of(Jars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // bench/overhead/target/reqflow-bench-overhead.jar -> the repository root
      root = self.getParent().getParent().getParent().getParent();
    } catch (Exception e) {
      // run from classes elsewhere: paths relative to the working directory
    }
    return new Jars(
        root.resolve("sample-app/target/reqflow-sample-app.jar"),
        root.resolve("agent/target/reqflow-agent.jar"),
        root.resolve("bench/overhead/target/opentelemetry-javaagent.jar"),
        root.resolve("bench/overhead/target/glowroot-agent.jar"));
  }

  Jars withSampleApp(Path p) {
    return new Jars(p, reqflowAgent, otelAgent, glowrootAgent);
  }

  Jars withReqflowAgent(Path p) {
    return new Jars(sampleApp, p, otelAgent, glowrootAgent);
  }

  Jars withOtelAgent(Path p) {
    return new Jars(sampleApp, reqflowAgent, p, glowrootAgent);
  }

  /** Fails with the path and how to build it when a jar is missing. */
  void check() {
    for (Path p : new Path[] {sampleApp, reqflowAgent, otelAgent, glowrootAgent}) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(
            p
                + " is missing: build with `mvn -B -q -Pbench -pl bench/overhead -am package"
                + " -DskipTests`");
      }
    }
  }
}
