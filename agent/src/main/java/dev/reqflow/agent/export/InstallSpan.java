package dev.reqflow.agent.export;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.SpanType;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.util.concurrent.TimeUnit;

/**
 * The span that tells a reader of the exported data when a background install ended: from the JVM's
 * start to the moment the agent began recording ({@link SpanType#INSTALL}), so that the report says
 * that requests before then were not recorded. Exported to every sink as it is made, outside any
 * flow's sampling.
 */
public final class InstallSpan {
  /** The span's name; readers go by its {@link Attr#SPAN_TYPE}. */
  static final String NAME = "reqflow install";

  private InstallSpan() {}

  /** Exports the span, from {@code jvmStartEpochNanos} to {@code installedEpochNanos}. */
  public static void export(Tracer tracer, long jvmStartEpochNanos, long installedEpochNanos) {
    tracer
        .spanBuilder(NAME)
        .setNoParent()
        .setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(jvmStartEpochNanos, TimeUnit.NANOSECONDS)
        .setAttribute(Attr.SPAN_TYPE, SpanType.INSTALL)
        .startSpan()
        .end(Math.max(jvmStartEpochNanos, installedEpochNanos), TimeUnit.NANOSECONDS);
  }
}
