package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.contract.TraceContract.Incomplete;
import dev.reqflow.contract.TraceContract.LinkType;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls end when the application is done with the response: its body read to the end or closed, as
 * the client reports it; a response the application never closes is ended incomplete when it
 * becomes unreachable, when its flow has been over a while, or at exit. Reads of a body are the
 * reading thread's wait on the call, one block span per stretch of reads.
 */
class ResponseEndsTest {
  private static final AttributeKey<String> INCOMPLETE =
      AttributeKey.stringKey(Attr.CALL_INCOMPLETE);

  private final List<SpanData> ended = new CopyOnWriteArrayList<>();
  private SdkTracerProvider provider;
  private Recorder recorder;
  private Object flow;

  @BeforeEach
  void start() {
    provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new CollectingExporter(ended)))
            .build();
    recorder =
        new Recorder(provider.get("test"), 0L, true, List.of(), Set.of(), Set.of(), (h, c) -> h);
    // Calls as the agent records them: built off the application's thread (CallSpan).
    recorder.endedSpans(SimpleSpanProcessor.create(new CollectingExporter(ended))::onEnd);
    flow = recorder.flowEnter("GET /page", "GET", "/page", null);
  }

  @AfterEach
  void stop() {
    if (flow != null) {
      recorder.flowExit(flow, 200, null);
    }
    recorder.endOpenResponses();
    provider.close();
  }

  /** An OkHttp {@code execute} as its advice and listener report it, returning the response. */
  private Object execute(Object okHttpCall, String path) {
    Object call =
        recorder.callEnter(okHttpCall, "okhttp", true, "GET", "http://api:80" + path, "api", 80);
    recorder.callEvent(call, Event.CONNECT_START);
    recorder.callEvent(call, Event.RESPONSE_FIRST_BYTE);
    recorder.callStatus(call, 200);
    recorder.callIssued(call, new Object(), null);
    recorder.responseHeld(call, okHttpCall);
    return call;
  }

  private SpanData span(String name) {
    return ended.stream().filter(s -> Requests.of(s).equals(name)).findFirst().orElse(null);
  }

  private List<SpanData> spans(Predicate<SpanData> p) {
    return ended.stream().filter(p).toList();
  }

  private SpanData await(String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (span(name) == null && System.nanoTime() < deadline) {
      System.gc();
      TimeUnit.MILLISECONDS.sleep(20);
    }
    return span(name);
  }

  @Test
  void aResponseDroppedUnclosedEndsIncompleteWhenItBecomesUnreachable() throws Exception {
    Object okHttpCall = new Object();
    execute(okHttpCall, "/leak");
    okHttpCall = null;

    SpanData s = await("GET /leak");

    assertThat(s).as("ended once the garbage collector found its call unreachable").isNotNull();
    assertThat(s.getAttributes().get(INCOMPLETE)).isEqualTo(Incomplete.UNREACHABLE);
    assertThat(s.getEvents()).extracting(e -> e.getName()).contains(Event.RESPONSE_FIRST_BYTE);
    // Ended where the application last had it, not when the collector found it.
    assertThat(s.getAttributes().get(AttributeKey.longKey(Attr.CALL_OPEN_AFTER_NANOS)))
        .isPositive();
    assertThat(recorder.incompleteCalls().unreachable()).isEqualTo(1);
    assertThat(recorder.callsOpenAtExit()).isZero();
  }

  @Test
  void anApacheResponseDroppedWithItsLeaseEndsIncomplete() throws Exception {
    Object call =
        recorder.callEnter(null, "apache-httpclient5", true, "GET", "http://api:80/a", "api", 80);
    Object lease = new Object();
    recorder.callLeased(call, lease, false);
    recorder.callIssued(call, new Object(), null);
    lease = null;

    SpanData s = await("GET /a");

    assertThat(s).as("the connection never went back to the pool").isNotNull();
    assertThat(s.getAttributes().get(INCOMPLETE)).isEqualTo(Incomplete.UNREACHABLE);
  }

  @Test
  void anApacheResponseWhoseLeaseWentBackIsNoLeak() {
    Object call =
        recorder.callEnter(null, "apache-httpclient5", true, "GET", "http://api:80/a", "api", 80);
    Object lease = new Object();
    recorder.callLeased(call, lease, false);
    recorder.callIssued(call, new Object(), null);

    recorder.callReleased(lease);
    recorder.endOpenResponses();

    assertThat(span("GET /a").getAttributes().get(INCOMPLETE)).isNull();
  }

  @Test
  void aResponseStillOpenAfterItsFlowEndsIncompleteUnclosed() throws Exception {
    recorder.unclosedAfter(TimeUnit.MILLISECONDS.toNanos(50));
    Object okHttpCall = new Object();
    execute(okHttpCall, "/held");
    recorder.flowExit(flow, 200, null);
    flow = null;

    SpanData s = await("GET /held");

    assertThat(s).isNotNull();
    assertThat(s.getAttributes().get(INCOMPLETE)).isEqualTo(Incomplete.UNCLOSED);
    assertThat(recorder.incompleteCalls().unclosed()).isEqualTo(1);
    assertThat(okHttpCall).as("held all along: not unreachable").isNotNull();
  }

  @Test
  void aResponseStillOpenAtExitIsWritten() {
    Object okHttpCall = new Object();
    execute(okHttpCall, "/running");

    recorder.endOpenResponses();

    assertThat(span("GET /running").getAttributes().get(INCOMPLETE)).isEqualTo(Incomplete.EXIT);
    assertThat(recorder.incompleteCalls().atExit()).isEqualTo(1);
    assertThat(recorder.callsOpenAtExit()).isZero();
    assertThat(okHttpCall).isNotNull();
  }

  @Test
  void aResponseReadToItsEndIsNoLeak() {
    Object okHttpCall = new Object();
    Object call = execute(okHttpCall, "/read");

    recorder.callEnd(call, null);
    recorder.endOpenResponses();

    assertThat(span("GET /read").getAttributes().get(INCOMPLETE)).isNull();
    assertThat(recorder.incompleteCalls().total()).isZero();
  }

  @Test
  void theJdkClientsCallEndsWithItsBodyNotWhenSendReturnsAStream() {
    Object call =
        recorder.callEnter(null, "jdk-httpclient", true, "GET", "http://api:80/s", "api", 80);
    recorder.callEvent(call, Event.RESPONSE_FIRST_BYTE); // the body handler was applied
    recorder.callIssued(call, new Object(), null);

    assertThat(span("GET /s")).as("send returned a stream: the body is still to come").isNull();

    recorder.callEvent(call, Event.RESPONSE_BODY_DONE);

    SpanData s = span("GET /s");
    assertThat(s).isNotNull();
    assertThat(s.getAttributes().get(INCOMPLETE)).isNull();
  }

  @Test
  void theJdkClientsCallWhoseBodyCameFirstEndsWhenSendReturns() {
    Object call =
        recorder.callEnter(null, "jdk-httpclient", true, "GET", "http://api:80/s", "api", 80);
    recorder.callEvent(call, Event.RESPONSE_FIRST_BYTE);
    recorder.callEvent(call, Event.RESPONSE_BODY_DONE); // ofString: before send returns

    recorder.callIssued(call, new Object(), null);

    assertThat(span("GET /s")).isNotNull();
  }

  @Test
  void readsOfABodyAreOneWaitOnTheCall() {
    Object okHttpCall = new Object();
    Object call = execute(okHttpCall, "/body");

    long first = recorder.bodyReadEnter(okHttpCall);
    recorder.bodyReadExit(first, 8192);
    long second = recorder.bodyReadEnter(okHttpCall);
    recorder.callEnd(call, null); // the listener ends the call inside the last read
    recorder.bodyReadExit(second, -1);

    List<SpanData> reads = spans(s -> s.getName().equals("block " + BlockKind.BODY_READ));
    assertThat(reads).hasSize(1);
    SpanData read = reads.get(0);
    SpanData c = span("GET /body");
    assertThat(read.getAttributes().get(AttributeKey.stringKey(Attr.BLOCK_KIND)))
        .isEqualTo(BlockKind.BODY_READ);
    assertThat(read.getLinks()).hasSize(1);
    LinkData link = read.getLinks().get(0);
    assertThat(link.getSpanContext().getSpanId()).isEqualTo(c.getSpanId());
    assertThat(link.getAttributes().get(AttributeKey.stringKey(Attr.LINK_TYPE)))
        .isEqualTo(LinkType.WAITED_ON);
    assertThat(read.getParentSpanId()).isEqualTo(c.getParentSpanId());
    assertThat(read.getStartEpochNanos()).isGreaterThanOrEqualTo(c.getStartEpochNanos());
  }

  @Test
  void aCloseThatDiscardsTheRestOfTheBodyIsAWaitOnTheCall() throws Exception {
    Object okHttpCall = new Object();
    Object call = execute(okHttpCall, "/unread");

    long close = recorder.bodyReadEnter(okHttpCall);
    assertThat(close).as("a close of the body, in the flow").isNotZero();
    // OkHttp reads the rest of the body off the network (what the wait is), then ends the call.
    TimeUnit.MILLISECONDS.sleep(2);
    recorder.callEnd(call, null);
    recorder.bodyReadExit(close, -1);

    List<SpanData> reads = spans(s -> s.getName().equals("block " + BlockKind.BODY_READ));
    assertThat(reads).hasSize(1);
    SpanData read = reads.get(0);
    SpanData c = span("GET /unread");
    assertThat(read.getLinks())
        .extracting(l -> l.getSpanContext().getSpanId())
        .containsExactly(c.getSpanId());
    assertThat(read.getEndEpochNanos() - read.getStartEpochNanos())
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(2));
  }

  @Test
  void aCloseAfterTheBodyWasReadToItsEndRecordsNothing() {
    Object okHttpCall = new Object();
    Object call = execute(okHttpCall, "/read");
    long last = recorder.bodyReadEnter(okHttpCall);
    recorder.callEnd(call, null);
    recorder.bodyReadExit(last, -1);
    List<SpanData> before = spans(s -> s.getName().equals("block " + BlockKind.BODY_READ));

    long close = recorder.bodyReadEnter(okHttpCall);
    recorder.bodyReadExit(close, -1);

    assertThat(close).as("the call ended with its body").isZero();
    assertThat(spans(s -> s.getName().equals("block " + BlockKind.BODY_READ))).isEqualTo(before);
  }

  @Test
  void aPauseBetweenReadsEndsAStretch() throws Exception {
    Object okHttpCall = new Object();
    Object call = execute(okHttpCall, "/stream");

    long first = recorder.bodyReadEnter(okHttpCall);
    recorder.bodyReadExit(first, 8192);
    // The application works on what it read for longer than a pause between reads (1 ms).
    TimeUnit.MILLISECONDS.sleep(5);
    long second = recorder.bodyReadEnter(okHttpCall);
    recorder.bodyReadExit(second, 8192);
    recorder.callEnd(call, null); // closed, outside a read

    List<SpanData> reads = spans(s -> s.getName().equals("block " + BlockKind.BODY_READ));
    assertThat(reads).hasSize(2);
    assertThat(reads.get(0).getEndEpochNanos()).isLessThan(reads.get(1).getStartEpochNanos());
  }

  @Test
  void aBodyWhoseCallEndedOnAnotherThreadEndsTheStretchAtTheNextRead() throws Exception {
    Object call =
        recorder.callEnter(null, "jdk-httpclient", true, "GET", "http://api:80/s", "api", 80);
    recorder.callEvent(call, Event.RESPONSE_FIRST_BYTE);
    recorder.callIssued(call, new Object(), null);
    Object stream = new Object();
    recorder.callBody(call, stream);
    long first = recorder.bodyReadEnter(stream);
    assertThat(first).as("a read of the body, in the flow").isNotZero();
    recorder.bodyReadExit(first, 8192);
    // The JDK client's thread: the last bytes are in, the body is done.
    Thread client = new Thread(() -> recorder.callEvent(call, Event.RESPONSE_BODY_DONE));
    client.start();
    client.join();

    assertThat(recorder.bodyReadEnter(stream)).as("the rest is read from memory").isZero();
    assertThat(spans(s -> s.getName().equals("block " + BlockKind.BODY_READ))).hasSize(1);
  }

  @Test
  void readsOutsideAnyFlowAreNotRecorded() {
    recorder.flowExit(flow, 200, null);
    flow = null;

    assertThat(recorder.bodyReadEnter(new Object())).isZero();
  }
}
