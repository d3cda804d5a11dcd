package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.agent.content.CallContent;
import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.Client;
import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.contract.TraceContract.PoolKind;
import dev.reqflow.contract.TraceContract.SpanType;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A call span built on the export thread ({@link CallSpan}) holds what the SDK's span of the same
 * call holds: the same name, kind, attributes (the URL redacted), events, links, status and counts,
 * scope and resource. Recorded twice, once each way, by the same hooks from the same line.
 */
class CallSpanTest {

  /** The spans one recorder exported, and the recorder; {@code deferred}: calls as CallSpans. */
  private record Run(Recorder recorder, List<SpanData> spans, SdkTracerProvider provider) {}

  private static Run run(boolean deferred) {
    List<SpanData> spans = new ArrayList<>();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new CollectingExporter(spans)))
            .build();
    Recorder r =
        new Recorder(provider.get("test"), 0L, true, List.of(), Set.of(), Set.of(), (h, c) -> h);
    if (deferred) {
      r.endedSpans(SimpleSpanProcessor.create(new CollectingExporter(spans))::onEnd);
    }
    return new Run(r, spans, provider);
  }

  /** One page: a call whose response returns a token, then a call carrying it, which fails. */
  private static List<SpanData> page(boolean deferred) {
    Run run = run(deferred);
    Recorder r = run.recorder();
    Object flow = r.flowEnter("GET /page", "GET", "/page?user=42", null);
    Object first = call(r, "http://users:8080/user/42?session=s3cret&x");
    r.callQueued(first, PoolKind.PER_ROUTE, "pool@1", 25, 5);
    r.callEvent(first, Event.CONNECT_START);
    r.callEvent(first, Event.CONNECTION_ACQUIRED);
    r.callEvent(first, Event.RESPONSE_FIRST_BYTE);
    r.callStatus(first, 200);
    byte[] body = "{\"cart\":\"c-7f3a91\"}".getBytes(StandardCharsets.UTF_8);
    r.callContent(first, CallContent.RESPONSE_BODY, body, 0, body.length);
    r.callIssued(first, null, null);
    Object second = call(r, "http://u:p@carts:9090/carts/c-7f3a91?token=t");
    r.callStatus(second, 503);
    r.callIssued(second, null, null);
    Object third = call(r, null);
    r.callRequest(third, "POST", "http://orders/o?id=9", "orders", 80);
    r.callEnd(third, new IllegalStateException("reset"));
    r.callIssued(third, null, null);
    r.flowExit(flow, 200, null);
    run.provider().close();
    return run.spans().stream()
        .filter(s -> SpanType.CALL.equals(s.getAttributes().get(TYPE)))
        .toList();
  }

  private static final AttributeKey<String> TYPE = AttributeKey.stringKey(Attr.SPAN_TYPE);

  /** Every call from this one line, so that both ways record the same call site. */
  private static Object call(Recorder r, String url) {
    return r.callEnter(
        null,
        Client.JDK_HTTP_CLIENT,
        true,
        url == null ? null : "GET",
        url,
        url == null ? null : "users",
        url == null ? 0 : 8080);
  }

  @Test
  void aCallSpanHoldsWhatTheSdksSpanOfTheSameCallHolds() {
    List<SpanData> sdk = page(false);
    List<SpanData> deferred = page(true);

    assertThat(sdk).hasSize(3);
    assertThat(deferred.stream().map(CallSpanTest::content).toList())
        .isEqualTo(sdk.stream().map(CallSpanTest::content).toList());
    assertThat(deferred.get(0).getClass().getName()).contains("BuiltSpanData");
    assertThat(sdk.get(0).getClass().getName()).doesNotContain("BuiltSpanData");
    assertThat(deferred.get(0).getAttributes().get(AttributeKey.stringKey(Attr.URL_FULL)))
        .isEqualTo("http://users:8080/user/42?session=REDACTED&x");
    assertThat(deferred.get(1).getLinks()).as("the data link to the first call").hasSize(1);
  }

  /**
   * What a span says, without its ids, times and request hash (the two runs differ in those only).
   */
  private static String content(SpanData s) {
    return String.join(
        "\n",
        s.getName(),
        s.getKind().toString(),
        s.getStatus().toString(),
        s.getAttributes().asMap().entrySet().stream()
            // The request hash is keyed per recorder: the two runs' hashes differ, by design.
            .map(
                e ->
                    e.getKey().getKey()
                        + "="
                        + (e.getKey().getKey().equals(Attr.REQUEST_HASH) ? "(hash)" : e.getValue()))
            .sorted()
            .collect(Collectors.joining(",")),
        "attributes " + s.getTotalAttributeCount(),
        s.getEvents().stream()
            .map(e -> e.getName() + e.getAttributes() + "/" + e.getTotalAttributeCount())
            .collect(Collectors.joining(",")),
        "events " + s.getTotalRecordedEvents(),
        s.getLinks().stream()
            .map(l -> l.getAttributes() + "/" + l.getTotalAttributeCount())
            .collect(Collectors.joining(",")),
        "links " + s.getTotalRecordedLinks(),
        "ended " + s.hasEnded(),
        "parent valid " + s.getParentSpanContext().isValid(),
        "sampled " + s.getSpanContext().isSampled(),
        s.getInstrumentationScopeInfo().toString(),
        s.getResource().toString());
  }
}
