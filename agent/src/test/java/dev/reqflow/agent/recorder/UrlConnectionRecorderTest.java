package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.agent.bootstrap.Bridge;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The life of an {@code HttpURLConnection} call, driven through the recorder's hooks in the order
 * the JDK's advice calls them (the forked tests drive them through the real JDK classes).
 */
class UrlConnectionRecorderTest {
  private final List<SpanData> spans = new CopyOnWriteArrayList<>();
  private SdkTracerProvider provider;
  private Recorder recorder;
  private Object flow;

  @BeforeEach
  void startFlow() {
    provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new CollectingExporter(spans)))
            .build();
    recorder =
        new Recorder(provider.get("test"), 0L, true, List.of(), Set.of(), Set.of(), (h, c) -> h);
    // Calls as the agent records them: built off the application's thread (CallSpan).
    recorder.endedSpans(SimpleSpanProcessor.create(new CollectingExporter(spans))::onEnd);
    flow = recorder.flowEnter("GET /page", "GET", "/page", null);
  }

  @AfterEach
  void endFlow() {
    if (flow != null) {
      recorder.flowExit(flow, 200, null);
    }
    provider.close();
  }

  /** A connection that does nothing: only its identity, URL and method matter to the recorder. */
  private static HttpURLConnection connection(String url) throws IOException {
    return new HttpURLConnection(new URL(url)) {
      @Override
      public void connect() {}

      @Override
      public void disconnect() {}

      @Override
      public boolean usingProxy() {
        return false;
      }
    };
  }

  private List<SpanData> calls() {
    return spans.stream()
        .filter(
            s -> "call".equals(s.getAttributes().get(AttributeKey.stringKey("reqflow.span.type"))))
        .collect(Collectors.toList());
  }

  private static List<String> events(SpanData s) {
    return s.getEvents().stream().map(EventData::getName).collect(Collectors.toList());
  }

  private static String attr(SpanData s, String key) {
    Object v =
        s.getAttributes().asMap().entrySet().stream()
            .filter(e -> e.getKey().getKey().equals(key))
            .map(e -> e.getValue())
            .findFirst()
            .orElse(null);
    return v == null ? null : String.valueOf(v);
  }

  @Test
  void oneCallAcrossConnectStatusAndStreamEndedByTheStreamsEnd() throws IOException {
    HttpURLConnection c = connection("http://127.0.0.1:8080/user?id=7");
    Object http = new Object();
    Object stream = new ByteArrayInputStream(new byte[0]);

    Object t = recorder.urlConnectionEnter(c, Bridge.URL_CONNECT);
    recorder.urlConnectionPhase(Bridge.URL_PHASE_CONNECT_START);
    recorder.urlConnectionPhase(Bridge.URL_PHASE_CONNECT_END);
    recorder.urlConnectionExit(t, -1, null, null, null);

    t = recorder.urlConnectionEnter(c, Bridge.URL_INPUT);
    // getResponseCode -> getInputStream -> getHeaderField -> getInputStream: nested, not counted.
    assertThat(recorder.urlConnectionEnter(c, Bridge.URL_INPUT)).isNull();
    recorder.urlConnectionPhase(Bridge.URL_PHASE_WRITE);
    recorder.urlConnectionPhase(Bridge.URL_PHASE_READ);
    recorder.urlConnectionExit(t, 200, http, stream, null);
    // The application asks again for the stream, then the headers: the same call, with nothing
    // left to wait for.
    assertThat(recorder.urlConnectionEnter(c, Bridge.URL_INPUT)).isNull();
    assertThat(calls()).isEmpty();

    recorder.urlConnectionEnd(stream, Bridge.URL_END_BODY);
    recorder.urlConnectionEnd(http, Bridge.URL_END_BODY);
    recorder.urlConnectionEnd(c, Bridge.URL_END_DISCONNECT);

    assertThat(calls()).hasSize(1);
    SpanData call = calls().get(0);
    assertThat(call.getName()).isEqualTo("GET");
    assertThat(Requests.of(call)).isEqualTo("GET /user");
    assertThat(attr(call, "reqflow.call.client")).isEqualTo("httpurlconnection");
    assertThat(attr(call, "url.full")).isEqualTo("http://127.0.0.1:8080/user?id=REDACTED");
    assertThat(attr(call, "http.response.status_code")).isEqualTo("200");
    assertThat(attr(call, "reqflow.connection.reused")).isEqualTo("false");
    assertThat(attr(call, "reqflow.connection.pool.name")).isEqualTo("jdk-keep-alive-cache");
    assertThat(events(call))
        .containsExactly(
            "connect.start",
            "connect.end",
            "connection.acquired",
            "request.sent",
            "response.first_byte",
            "response.body_done");
    // A method called after the end finds the call ended: nothing more is recorded.
    assertThat(recorder.urlConnectionEnter(c, Bridge.URL_INPUT)).isNull();
  }

  @Test
  void theLastByteOfABodyOfKnownLengthEndsTheCallThroughTheClient() throws IOException {
    HttpURLConnection c = connection("http://127.0.0.1:8080/exact");
    Object http = new Object();
    Object t = recorder.urlConnectionEnter(c, Bridge.URL_INPUT);
    recorder.urlConnectionPhase(Bridge.URL_PHASE_WRITE);
    recorder.urlConnectionExit(t, 200, http, new Object(), null);
    recorder.urlConnectionEnd(http, Bridge.URL_END_BODY);
    assertThat(calls()).hasSize(1);
    assertThat(events(calls().get(0))).endsWith("response.body_done");
    assertThat(attr(calls().get(0), "reqflow.connection.reused")).isEqualTo("true");
  }

  @Test
  void anEmptyBodyIsDoneWithItsHeaders() throws IOException {
    HttpURLConnection c = connection("http://127.0.0.1:8080/none");
    c.setRequestMethod("HEAD");
    Object t = recorder.urlConnectionEnter(c, Bridge.URL_INPUT);
    // The JDK has given the client back already: no client left on the connection.
    recorder.urlConnectionExit(t, 204, null, new Object(), null);
    assertThat(calls()).hasSize(1);
    assertThat(Requests.of(calls().get(0))).isEqualTo("HEAD /none");
    assertThat(events(calls().get(0))).containsExactly("response.first_byte", "response.body_done");
  }

  @Test
  void anIoErrorEndsTheCallWithItsType() throws IOException {
    HttpURLConnection c = connection("http://127.0.0.1:9/refused");
    Object t = recorder.urlConnectionEnter(c, Bridge.URL_INPUT);
    recorder.urlConnectionPhase(Bridge.URL_PHASE_CONNECT_START);
    recorder.urlConnectionExit(t, -1, null, null, new ConnectException("refused"));
    assertThat(calls()).hasSize(1);
    assertThat(attr(calls().get(0), "error.type")).isEqualTo("java.net.ConnectException");
    assertThat(attr(calls().get(0), "http.response.status_code")).isNull();
    assertThat(recorder.urlConnectionEnter(c, Bridge.URL_INPUT)).isNull();
  }

  @Test
  void anErrorStatusEndsTheCallWithTheStatusAsItsError() throws IOException {
    HttpURLConnection c = connection("http://127.0.0.1:8080/fail");
    Object t = recorder.urlConnectionEnter(c, Bridge.URL_INPUT);
    recorder.urlConnectionExit(
        t, 500, new Object(), null, new IOException("Server returned HTTP response code: 500"));
    assertThat(calls()).hasSize(1);
    SpanData call = calls().get(0);
    assertThat(attr(call, "http.response.status_code")).isEqualTo("500");
    assertThat(attr(call, "error.type")).isEqualTo("500");
    assertThat(events(call)).containsExactly("response.first_byte");
  }

  @Test
  void aPostThroughTheOutputStreamIsNamedPost() throws IOException {
    HttpURLConnection c = connection("http://127.0.0.1:8080/orders");
    Object t = recorder.urlConnectionEnter(c, Bridge.URL_OUTPUT);
    recorder.urlConnectionExit(t, -1, null, null, null);
    recorder.urlConnectionEnd(c, Bridge.URL_END_DISCONNECT);
    assertThat(calls()).hasSize(1);
    assertThat(Requests.of(calls().get(0))).isEqualTo("POST /orders");
    assertThat(events(calls().get(0))).doesNotContain("response.body_done");
  }

  @Test
  void nothingIsRecordedOutsideAFlow() throws IOException {
    recorder.flowExit(flow, 200, null);
    flow = null;
    HttpURLConnection c = connection("http://127.0.0.1:8080/outside");
    assertThat(recorder.urlConnectionEnter(c, Bridge.URL_INPUT)).isNull();
    recorder.urlConnectionPhase(Bridge.URL_PHASE_READ);
    recorder.urlConnectionEnd(new Object(), Bridge.URL_END_BODY);
    assertThat(calls()).isEmpty();
  }
}
