package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.contract.TraceContract.PoolKind;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls through a client's connection pool, as Apache HttpClient's advice reports them: queued
 * until the lease, complete when the connection goes back to the pool after the client's method
 * returned.
 */
class PooledCallsTest {
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
    recorder.flowExit(flow, 200, null);
    provider.close();
  }

  private Object issue(boolean sync) {
    Object call = recorder.callEnter(null, "apache-httpclient5", sync, null, null, null, 0);
    recorder.callRequest(call, "GET", "http://backend:8080/offers?id=7", "backend", 8080);
    return call;
  }

  private SpanData span(String name) {
    return ended.stream().filter(s -> Requests.of(s).equals(name)).findFirst().orElse(null);
  }

  private static List<String> events(SpanData s) {
    return s.getEvents().stream().map(EventData::getName).toList();
  }

  @Test
  void aSyncCallEndsWhenItsConnectionIsReleasedAfterTheClientReturned() {
    Object call = issue(true);
    Object connection = new Object();
    recorder.callQueued(call, PoolKind.PER_ROUTE, "pool@1", 25, 5);
    recorder.callLeased(call, connection, false);
    recorder.callIssued(call, null, null);

    assertThat(span("GET /offers")).as("open while the body is read").isNull();

    recorder.callReleased(connection);

    SpanData s = span("GET /offers");
    assertThat(s).isNotNull();
    assertThat(events(s)).containsExactly(Event.DISPATCHED, Event.RESPONSE_BODY_DONE);
    assertThat(s.getAttributes().get(AttributeKey.stringKey(Attr.POOL_KIND)))
        .isEqualTo(PoolKind.PER_ROUTE);
    assertThat(s.getAttributes().get(AttributeKey.longKey(Attr.POOL_LIMIT_PER_HOST))).isEqualTo(5L);
    assertThat(s.getAttributes().get(AttributeKey.booleanKey(Attr.CONNECTION_REUSED))).isFalse();
    assertThat(s.getAttributes().get(AttributeKey.stringKey(Attr.URL_FULL)))
        .isEqualTo("http://backend:8080/offers?id=REDACTED");
  }

  @Test
  void aConnectionReleasedInsideTheClientIsARedirectsAndTheCallGoesOn() {
    Object call = issue(true);
    Object first = new Object();
    Object second = new Object();
    recorder.callQueued(call, PoolKind.PER_ROUTE, "pool@1", 25, 5);
    recorder.callLeased(call, first, true);
    recorder.callReleased(first);
    recorder.callQueued(call, PoolKind.CONNECTION_POOL, "pool@1", 25, 5);
    recorder.callLeased(call, second, false);

    assertThat(span("GET /offers")).isNull();

    recorder.callReleased(second);
    assertThat(span("GET /offers")).as("the client has not returned yet").isNull();
    recorder.callIssued(call, null, null);

    SpanData s = span("GET /offers");
    // The first lease is the call's queue and its connection; the redirect's adds nothing. The
    // body was done when the last connection went back.
    assertThat(events(s))
        .containsExactly(Event.DISPATCHED, Event.CONNECTION_ACQUIRED, Event.RESPONSE_BODY_DONE);
    assertThat(s.getAttributes().get(AttributeKey.stringKey(Attr.POOL_KIND)))
        .isEqualTo(PoolKind.PER_ROUTE);
    assertThat(s.getAttributes().get(AttributeKey.booleanKey(Attr.CONNECTION_REUSED))).isTrue();
  }

  @Test
  void anExecutorNarrowerThanThePoolStaysTheCallsQueue() throws Exception {
    ThreadPoolExecutor two = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
    ThreadPoolExecutor many = (ThreadPoolExecutor) Executors.newFixedThreadPool(16);
    try {
      for (ThreadPoolExecutor executor : List.of(two, many)) {
        Object captured = recorder.capture(executor);
        executor
            .submit(
                () -> {
                  Object scope = recorder.taskEnter(captured);
                  try {
                    Object call = issue(true);
                    recorder.callQueued(call, PoolKind.PER_ROUTE, "pool@1", 25, 5);
                    Object connection = new Object();
                    recorder.callLeased(call, connection, true);
                    recorder.callIssued(call, null, null);
                    recorder.callReleased(connection);
                  } finally {
                    recorder.taskExit(scope);
                  }
                })
            .get();
      }
    } finally {
      two.shutdown();
      many.shutdown();
    }
    List<SpanData> calls =
        ended.stream().filter(s -> Requests.of(s).equals("GET /offers")).toList();
    assertThat(calls).hasSize(2);
    AttributeKey<String> kind = AttributeKey.stringKey(Attr.POOL_KIND);
    assertThat(calls.get(0).getAttributes().get(kind)).isEqualTo(PoolKind.EXECUTOR);
    assertThat(calls.get(1).getAttributes().get(kind)).isEqualTo(PoolKind.PER_ROUTE);
    for (SpanData c : calls) {
      assertThat(events(c)).filteredOn(Event.DISPATCHED::equals).hasSize(1);
    }
  }

  @Test
  void anExecutorNarrowerThanAPerAddressPoolStaysTheCallsQueue() throws Exception {
    // Reactor Netty's provider (RestTemplate on ReactorClientHttpRequestFactory in a task): its
    // limit is per remote address, and it is told at every acquire (a redirect acquires again).
    ThreadPoolExecutor two = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
    ThreadPoolExecutor many = (ThreadPoolExecutor) Executors.newFixedThreadPool(16);
    try {
      for (ThreadPoolExecutor executor : List.of(two, many)) {
        Object captured = recorder.capture(executor);
        executor
            .submit(
                () -> {
                  Object scope = recorder.taskEnter(captured);
                  try {
                    Object call =
                        recorder.callEnter(null, "reactor-netty", false, null, null, null, 0);
                    recorder.callRequest(
                        call, "GET", "http://backend:8080/offers", "backend", 8080);
                    recorder.callPool(call, PoolKind.CONNECTION_POOL, "http", 5, 10);
                    recorder.callEvent(call, Event.DISPATCHED);
                    recorder.callPool(call, PoolKind.CONNECTION_POOL, "http", 5, 10);
                    recorder.callEnd(call, null);
                  } finally {
                    recorder.taskExit(scope);
                  }
                })
            .get();
      }
    } finally {
      two.shutdown();
      many.shutdown();
    }
    List<SpanData> calls =
        ended.stream().filter(s -> Requests.of(s).equals("GET /offers")).toList();
    assertThat(calls).hasSize(2);
    AttributeKey<String> kind = AttributeKey.stringKey(Attr.POOL_KIND);
    AttributeKey<String> name = AttributeKey.stringKey(Attr.POOL_NAME);
    AttributeKey<Long> perHost = AttributeKey.longKey(Attr.POOL_LIMIT_PER_HOST);
    SpanData narrow = calls.get(0);
    assertThat(narrow.getAttributes().get(kind)).isEqualTo(PoolKind.EXECUTOR);
    assertThat(narrow.getAttributes().get(name)).isNotEqualTo("http");
    assertThat(narrow.getAttributes().get(AttributeKey.longKey(Attr.POOL_LIMIT))).isEqualTo(2L);
    assertThat(narrow.getAttributes().get(perHost)).isNull();
    SpanData wide = calls.get(1);
    assertThat(wide.getAttributes().get(kind)).isEqualTo(PoolKind.CONNECTION_POOL);
    assertThat(wide.getAttributes().get(name)).isEqualTo("http");
    assertThat(wide.getAttributes().get(perHost)).isEqualTo(5L);
    for (SpanData c : calls) {
      assertThat(events(c)).filteredOn(Event.DISPATCHED::equals).hasSize(1);
    }
  }

  @Test
  void anAsyncLeaseGrantedLaterIsFoundByItsKeyAndReuseIsInferred() {
    Object call = issue(false);
    Object leaseCallback = new Object();
    Object endpoint = new Object();
    recorder.callQueued(call, PoolKind.CONNECTION_POOL, "pool@2", 25, 5);
    recorder.callAwaits(call, leaseCallback, Event.DISPATCHED);
    recorder.callAwaited(new Object(), endpoint);
    recorder.callAwaited(leaseCallback, endpoint);

    assertThat(recorder.callFor(endpoint)).isSameAs(call);
    recorder.callEvent(call, Event.RESPONSE_FIRST_BYTE);
    recorder.callEnd(call, null);

    SpanData s = span("GET /offers");
    assertThat(events(s)).containsExactly(Event.DISPATCHED, Event.RESPONSE_FIRST_BYTE);
    assertThat(s.getAttributes().get(AttributeKey.booleanKey(Attr.CONNECTION_REUSED))).isTrue();
  }

  @Test
  void poolsAreNamedByTheirClassAndIdentity() {
    Object pool =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            java.util.concurrent.TimeUnit.SECONDS,
            new java.util.concurrent.LinkedBlockingQueue<>()) {};
    assertThat(CallRecorder.poolName(pool))
        .isEqualTo("ThreadPoolExecutor@" + Integer.toHexString(System.identityHashCode(pool)));
    assertThat(CallRecorder.poolName("okhttp-dispatcher")).isEqualTo("okhttp-dispatcher");
    assertThat(CallRecorder.poolName(null)).isEmpty();
  }

  @Test
  void aThreadOutsideAnyFlowRecordsNothing() throws Exception {
    AtomicReference<Object> issued = new AtomicReference<>("unset");
    AtomicReference<Object> issuing = new AtomicReference<>("unset");
    Thread t =
        new Thread(
            () -> {
              issued.set(recorder.callEnter(null, "apache-httpclient5", true, null, null, null, 0));
              issuing.set(recorder.issuingCall());
              recorder.callReleased(new Object());
              recorder.callAwaited(new Object(), null);
            });
    t.start();
    t.join();
    assertThat(issued.get()).isNull();
    assertThat(issuing.get()).isNull();
    assertThat(recorder.openAtExit()).as("only this test's flow").isEqualTo(1);
  }
}
