package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.Client;
import dev.reqflow.contract.TraceContract.LinkType;
import dev.reqflow.contract.TraceContract.SpanType;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A wait's span built on the export thread ({@link BlockSpan}) holds what the SDK's span of the
 * same wait holds: name, kind, attributes (thread, role, kind, call site, what completed it), links
 * (waited on, callback) with their counts, scope and resource. Each of four kinds of wait recorded
 * twice, once each way, by the same hooks from the same lines.
 */
class BlockSpanTest {
  private static final AttributeKey<String> TYPE = AttributeKey.stringKey(Attr.SPAN_TYPE);

  /** The block spans of one page recorded by a recorder; {@code deferred}: waits as BlockSpans. */
  private static List<SpanData> page(boolean deferred) throws InterruptedException {
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
    Object flow = r.flowEnter("GET /page", "GET", "/page", null);

    // 1. A synchronous call's wait, reported by the client's send advice while it issues the call.
    Object sync = call(r, true, "http://users:8080/user/42");
    waitOn(r, sync, BlockKind.HTTP_CLIENT_SEND);
    r.callIssued(sync, null, null);

    // 2. A wait on the future an asynchronous call returned.
    Object async = call(r, false, "http://carts:9090/carts/7");
    CompletableFuture<String> response = new CompletableFuture<>();
    r.callIssued(async, response, null);
    waitOn(r, response, BlockKind.COMPLETABLE_JOIN);

    // 3. A wait on a future no recorded call completes, completed by a thread of no flow.
    CompletableFuture<String> unseen = new CompletableFuture<>();
    long start = r.blockEnter(unseen);
    Thread io =
        new Thread(
            () -> {
              unseen.complete("body");
              r.futureCompleted(unseen);
            },
            "HttpClient@1b2c-37");
    io.start();
    io.join();
    r.blockExit(start, unseen, BlockKind.COMPLETABLE_GET);

    // 4. A callback of the asynchronous call that itself waits (on a future of no call).
    Object callback = r.callbackEnter(async);
    waitOn(r, new CompletableFuture<String>(), BlockKind.FUTURE_GET);
    r.callbackExit(callback);

    r.flowExit(flow, 200, null);
    provider.close();
    return spans.stream().filter(s -> SpanType.BLOCK.equals(s.getAttributes().get(TYPE))).toList();
  }

  private static void waitOn(Recorder r, Object waitedOn, String kind) {
    r.blockExit(r.blockEnter(waitedOn), waitedOn, kind);
  }

  /** Every call from this one line, so that both ways record the same call site. */
  private static Object call(Recorder r, boolean sync, String url) {
    return r.callEnter(null, Client.JDK_HTTP_CLIENT, sync, "GET", url, "users", 8080);
  }

  @Test
  void aBlockSpanHoldsWhatTheSdksSpanOfTheSameWaitHolds() throws InterruptedException {
    List<SpanData> sdk = page(false);
    List<SpanData> deferred = page(true);

    assertThat(sdk).hasSize(4);
    assertThat(deferred.stream().map(BlockSpanTest::content).toList())
        .isEqualTo(sdk.stream().map(BlockSpanTest::content).toList());
    assertThat(deferred).allMatch(s -> s.getClass().getName().contains("BuiltSpanData"));
    assertThat(sdk.get(0).getClass().getName()).doesNotContain("BuiltSpanData");
    // What the page recorded, so that equal lists are not equal by being empty of what matters.
    assertThat(deferred)
        .extracting(s -> linkTypes(s))
        .containsExactly(LinkType.WAITED_ON, LinkType.WAITED_ON, "", LinkType.CALLBACK);
    assertThat(deferred.get(2).getAttributes().get(AttributeKey.stringKey(Attr.BLOCK_COMPLETED_BY)))
        .isEqualTo("HttpClient@1b2c-37");
    // The test's own frames are the agent's package, which the walk skips: the site is JUnit's.
    assertThat(deferred)
        .allSatisfy(
            s ->
                assertThat(s.getAttributes().get(AttributeKey.stringKey(Attr.CODE_FUNCTION_NAME)))
                    .isNotBlank());
    assertThat(deferred)
        .allSatisfy(s -> assertThat(s.getEndEpochNanos()).isGreaterThan(s.getStartEpochNanos()));
  }

  private static String linkTypes(SpanData s) {
    return s.getLinks().stream()
        .map(l -> l.getAttributes().get(AttributeKey.stringKey(Attr.LINK_TYPE)))
        .collect(Collectors.joining(","));
  }

  /** What a span says, without its ids and times (the two runs differ in those only). */
  private static String content(SpanData s) {
    return String.join(
        "\n",
        s.getName(),
        s.getKind().toString(),
        s.getStatus().toString(),
        s.getAttributes().asMap().entrySet().stream()
            .map(e -> e.getKey().getKey() + "=" + e.getValue())
            .sorted()
            .collect(Collectors.joining(",")),
        "attributes " + s.getTotalAttributeCount(),
        "events " + s.getEvents().size() + "/" + s.getTotalRecordedEvents(),
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
