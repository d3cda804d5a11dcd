package dev.reqflow.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.contract.TraceContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinksAsTagsTest {

  @Test
  void eachLinkBecomesAnEntryOfOneTagAndSpansWithoutLinksPassUnchanged() {
    List<SpanData> exported = new ArrayList<>();
    SpanExporter into =
        new SpanExporter() {
          @Override
          public io.opentelemetry.sdk.common.CompletableResultCode export(
              java.util.Collection<SpanData> spans) {
            exported.addAll(spans);
            return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
          }

          @Override
          public io.opentelemetry.sdk.common.CompletableResultCode flush() {
            return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
          }

          @Override
          public io.opentelemetry.sdk.common.CompletableResultCode shutdown() {
            return flush();
          }
        };
    SdkTracerProvider sdk =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new LinksAsTags(into)))
            .build();
    SpanContext call =
        SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    SpanContext other =
        SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c",
            "00f067aa0ba902b7",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    Span block =
        sdk.get("t")
            .spanBuilder("block")
            .setAttribute("reqflow.block.kind", "future.get")
            .addLink(
                call,
                Attributes.of(AttributeKey.stringKey(TraceContract.Attr.LINK_TYPE), "waited-on"))
            .addLink(other)
            .startSpan();
    block.end();
    sdk.get("t").spanBuilder("plain").startSpan().end();
    sdk.shutdown();

    assertThat(exported).hasSize(2);
    SpanData tagged = exported.get(0);
    assertThat(tagged.getAttributes().get(AttributeKey.stringArrayKey(LinksAsTags.TAG)))
        .containsExactly(
            "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331 waited-on",
            "0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7 -");
    assertThat(tagged.getAttributes().get(AttributeKey.stringKey("reqflow.block.kind")))
        .isEqualTo("future.get");
    assertThat(exported.get(1).getAttributes().get(AttributeKey.stringArrayKey(LinksAsTags.TAG)))
        .isNull();
  }
}
