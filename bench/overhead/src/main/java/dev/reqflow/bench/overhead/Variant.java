package dev.reqflow.bench.overhead;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What the page server JVM runs with: the only thing that differs between the runs compared. */
enum Variant {
  NONE("none", "no agent"),
  REQFLOW("reqflow", "`-javaagent:reqflow-agent.jar`, no options: OTLP/HTTP protobuf to the sink"),
  REQFLOW_NO_JFR(
      "reqflow-nojfr",
      "`-javaagent:reqflow-agent.jar=jfr=off`: as `reqflow`, without JDK Flight Recorder's stream"
          + " of monitor waits (the difference to `reqflow` is its cost)"),
  REQFLOW_SAMPLED(
      "reqflow-sampled",
      "`-javaagent:reqflow-agent.jar=sample=0.1,keep.slow`: one flow in ten recorded at its start,"
          + " the others recorded only to be kept when slower than their endpoint's p90 or failed"),
  REQFLOW_SAMPLED_ONLY(
      "reqflow-sample",
      "`-javaagent:reqflow-agent.jar=sample=0.1`: one flow in ten recorded, the others not at all"),
  OTEL(
      "otel",
      "`-javaagent:opentelemetry-javaagent.jar`, defaults: traces, metrics and logs by OTLP/HTTP"
          + " protobuf to the sink"),
  GLOWROOT(
      "glowroot",
      "`-javaagent:glowroot-agent.jar` 0.14.0-beta.2 (Maven Central), with"
          + " `-Dglowroot.collector.address` at a closed port: Maven Central has only its agent"
          + " for a central collector (the embedded collector and UI ship in its zip only), so it"
          + " instruments, records and aggregates, and its export is refused"),
  REQFLOW_FILE(
      "reqflow-file",
      "`-javaagent:reqflow-agent.jar=endpoint=none,file=RUN/spans.otlp.jsonl`: OTLP JSON lines to a"
          + " file only");

  private final String id;
  private final String settings;

  Variant(String id, String settings) {
    this.id = id;
    this.settings = settings;
  }

  String id() {
    return id;
  }

  /** How the page server was started, for the report. */
  String settings() {
    return settings;
  }

  /** The {@code -javaagent:} argument, if any; {@code runDir} holds whatever the run writes. */
  List<String> jvmArgs(Jars jars, Path runDir) {
    switch (this) {
      case NONE:
        return List.of();
      case REQFLOW:
        return List.of("-javaagent:" + jars.reqflowAgent());
      case REQFLOW_NO_JFR:
        return List.of("-javaagent:" + jars.reqflowAgent() + "=jfr=off");
      case REQFLOW_SAMPLED:
        return List.of("-javaagent:" + jars.reqflowAgent() + "=sample=0.1,keep.slow");
      case REQFLOW_SAMPLED_ONLY:
        return List.of("-javaagent:" + jars.reqflowAgent() + "=sample=0.1");
      case OTEL:
        return List.of("-javaagent:" + jars.otelAgent());
      case GLOWROOT:
        return List.of(
            "-Dglowroot.collector.address=http://127.0.0.1:1",
            "-Dglowroot.agent.id=bench",
            "-Dglowroot.tmp.dir=" + runDir.resolve("glowroot-tmp"),
            "-Dglowroot.log.dir=" + runDir.resolve("glowroot-log"),
            "-javaagent:" + jars.glowrootAgent());
      case REQFLOW_FILE:
        return List.of(
            "-javaagent:"
                + jars.reqflowAgent()
                + "=endpoint=none,file="
                + runDir.resolve("spans.otlp.jsonl"));
      default:
        throw new AssertionError(this);
    }
  }

  static Optional<Variant> byId(String id) {
    for (Variant v : values()) {
      if (v.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
