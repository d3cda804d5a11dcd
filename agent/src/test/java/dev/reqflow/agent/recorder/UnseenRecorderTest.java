package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.Client;
import dev.reqflow.contract.TraceContract.Event;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Socket I/O outside recorded calls and waits released outside every flow, on real spans. */
class UnseenRecorderTest {
  private static final long MS = 1_000_000L;

  private final List<SpanData> exported = new CopyOnWriteArrayList<>();
  private SdkTracerProvider provider;
  private Recorder recorder;

  @BeforeEach
  void setUp() {
    provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                SimpleSpanProcessor.create(
                    new SpanExporter() {
                      @Override
                      public CompletableResultCode export(Collection<SpanData> spans) {
                        exported.addAll(spans);
                        return CompletableResultCode.ofSuccess();
                      }

                      @Override
                      public CompletableResultCode flush() {
                        return CompletableResultCode.ofSuccess();
                      }

                      @Override
                      public CompletableResultCode shutdown() {
                        return CompletableResultCode.ofSuccess();
                      }
                    }))
            .build();
    recorder =
        new Recorder(
            provider.get("test"), 2 * MS, true, List.of(), Set.of(), Set.of(), (h, c) -> h);
  }

  @AfterEach
  void tearDown() {
    provider.close();
  }

  /** A socket operation that took {@code ms}: its start moved back, instead of waiting. */
  private void socketOp(long ms, String kind) {
    long start = recorder.socketEnter(null);
    assertThat(start).as("counted").isNotZero();
    recorder.socketExit(start - ms * MS, kind);
  }

  private SpanData flowSpan() {
    return exported.stream()
        .filter(s -> "flow".equals(s.getAttributes().get(AttributeKey.stringKey(Attr.SPAN_TYPE))))
        .findFirst()
        .orElseThrow();
  }

  private List<SpanData> blocks() {
    return exported.stream()
        .filter(s -> "block".equals(s.getAttributes().get(AttributeKey.stringKey(Attr.SPAN_TYPE))))
        .collect(Collectors.toList());
  }

  private static long attr(SpanData s, String key) {
    Long v = s.getAttributes().get(AttributeKey.longKey(key));
    return v == null ? 0 : v;
  }

  @Test
  void socketIoOnAFlowsThreadOutsideItsCallsIsSummedOnTheFlowWithBlocksForTheLongOnes() {
    assertThat(recorder.socketEnter(null)).as("outside every flow").isZero();
    Object flow = recorder.flowEnter("GET /page", "GET", "/page", null);
    long t0 = System.nanoTime();
    socketOp(5, BlockKind.SOCKET_CONNECT);
    socketOp(30, BlockKind.SOCKET_READ);
    socketOp(1, BlockKind.SOCKET_READ); // under block.threshold: counted, no span
    long elapsed = System.nanoTime() - t0;
    recorder.flowExit(flow, 200, null);

    SpanData f = flowSpan();
    // The operations' time moved back, plus however long the calls themselves took.
    assertThat(attr(f, Attr.UNSEEN_SOCKET_NANOS)).isBetween(36 * MS, 36 * MS + elapsed);
    assertThat(attr(f, Attr.UNSEEN_SOCKET_OPS)).isEqualTo(3);
    assertThat(blocks())
        .extracting(b -> b.getAttributes().get(AttributeKey.stringKey(Attr.BLOCK_KIND)))
        .containsExactly(BlockKind.SOCKET_CONNECT, BlockKind.SOCKET_READ);
    assertThat(blocks()).allSatisfy(b -> assertThat(b.getLinks()).isEmpty());
    assertThat(blocks()).allSatisfy(b -> assertThat(b.getParentSpanId()).isEqualTo(f.getSpanId()));
    assertThat(recorder.unseen().flows()).isEqualTo(1);
    assertThat(recorder.unseen().socketOps()).isEqualTo(3);
  }

  @Test
  void socketIoOfARecordedCallIsTheCallsUntilTheCallEnds() {
    Object flow = recorder.flowEnter("GET /page", "GET", "/page", null);
    Object call = recorder.callEnter(null, Client.OKHTTP, true, "GET", "http://h:1/a", "h", 1);
    assertThat(recorder.socketEnter(null)).as("while the call is issued").isZero();
    // OkHttp's listener saw the call: it stays open after execute() returns, until its body ends.
    recorder.callEvent(call, Event.CONNECT_START);
    recorder.callIssued(call, null, null);
    assertThat(recorder.socketEnter(null)).as("reading the open call's body").isZero();
    recorder.callEnd(call, null);
    socketOp(10, BlockKind.SOCKET_READ);
    recorder.flowExit(flow, 200, null);
    assertThat(attr(flowSpan(), Attr.UNSEEN_SOCKET_OPS)).isEqualTo(1);
  }

  @Test
  void aTaskTheClientHandsOverForItsCallIsTheCallsButAnAppTaskIsNot() throws Exception {
    Object flow = recorder.flowEnter("GET /page", "GET", "/page", null);
    Object call = recorder.callEnter(null, Client.OKHTTP, false, "GET", "http://h:1/a", "h", 1);
    recorder.callIssued(call, null, null);
    Object appTask = recorder.capture(null);
    long[] seen = new long[2];
    Thread dispatcher =
        new Thread(
            () -> {
              // OkHttp 5 runs the call on its dispatcher, which hands the connect to a task.
              Object callback = recorder.callbackEnter(call);
              Object connectTask = recorder.capture(null);
              recorder.callbackExit(callback);
              Object scope = recorder.taskEnter(connectTask);
              seen[0] = recorder.socketEnter(null);
              recorder.taskExit(scope);
              scope = recorder.taskEnter(appTask);
              seen[1] = recorder.socketEnter(null);
              recorder.socketExit(seen[1], BlockKind.SOCKET_READ);
              recorder.taskExit(scope);
            },
            "OkHttp Dispatcher");
    dispatcher.start();
    dispatcher.join();
    recorder.callEnd(call, null);
    recorder.flowExit(flow, 200, null);
    assertThat(seen[0]).as("the client's connect task").isZero();
    assertThat(seen[1]).as("the application's own task").isNotZero();
  }

  @Test
  void nonBlockingChannelsAreNotCounted() throws IOException {
    Object flow = recorder.flowEnter("GET /page", "GET", "/page", null);
    try (SocketChannel ch = SocketChannel.open()) {
      assertThat(recorder.socketEnter(ch)).isNotZero();
      recorder.socketExit(1, BlockKind.SOCKET_READ);
      ch.configureBlocking(false);
      assertThat(recorder.socketEnter(ch)).isZero();
    }
    recorder.flowExit(flow, 200, null);
  }

  @Test
  void aWaitOnAFutureCompletedByAThreadOfNoFlowIsUnseenAndNamesThatThread() throws Exception {
    recorder.unrecordedLibraries(() -> List.of("Jetty HttpClient"));
    Object flow = recorder.flowEnter("GET /page", "GET", "/page", null);
    CompletableFuture<String> response = new CompletableFuture<>();
    long t0 = System.nanoTime();
    long start = recorder.blockEnter(response);
    Thread io =
        new Thread(
            () -> {
              response.complete("body");
              recorder.futureCompleted(response);
            },
            "HttpClient@1b2c-37");
    io.start();
    io.join();
    recorder.blockExit(start - 50 * MS, response, BlockKind.COMPLETABLE_GET);
    long elapsed = System.nanoTime() - t0;
    // A wait on a future the flow's own thread completed is not unseen.
    CompletableFuture<String> own = new CompletableFuture<>();
    long ownStart = recorder.blockEnter(own);
    own.complete("x");
    recorder.futureCompleted(own);
    recorder.blockExit(ownStart - 20 * MS, own, BlockKind.COMPLETABLE_GET);
    recorder.flowExit(flow, 200, null);

    SpanData f = flowSpan();
    // The wait's start moved back 50 ms, plus the thread's real start and join.
    assertThat(attr(f, Attr.UNSEEN_WAIT_NANOS)).isBetween(50 * MS, 50 * MS + elapsed);
    assertThat(f.getAttributes().get(AttributeKey.stringArrayKey(Attr.LIBRARIES_UNRECORDED)))
        .containsExactly("Jetty HttpClient");
    assertThat(blocks())
        .extracting(
            b ->
                String.valueOf(
                    b.getAttributes().get(AttributeKey.stringKey(Attr.BLOCK_COMPLETED_BY))))
        .containsExactly("HttpClient@1b2c-37", "null");
  }
}
