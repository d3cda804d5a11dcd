package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.net.HttpURLConnection;
import java.net.URI;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {
  static final SpanContext CALL =
      SpanContext.create(
          "0af7651916cd43dd8448eb211c80319c",
          "b7ad6b7169203331",
          TraceFlags.getSampled(),
          TraceState.builder().put("vendor", "v1").build());

  @Test
  void aCallCarriesItsTraceAndSpanAndTheTraceState() {
    assertThat(new TraceHeaders(true).of(CALL))
        .containsExactly(
            "traceparent",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "tracestate",
            "vendor=v1");
  }

  @Test
  void noneWhenOffOrForAnInvalidSpan() {
    assertThat(new TraceHeaders(false).of(CALL)).isNull();
    assertThat(new TraceHeaders(true).of(SpanContext.getInvalid())).isNull();
  }

  @Test
  void anUrlConnectionGetsThemUnlessItHasATraceparentAlready() throws Exception {
    HttpURLConnection fresh =
        (HttpURLConnection) URI.create("http://127.0.0.1:9/x").toURL().openConnection();
    new TraceHeaders(true).addTo(fresh, CALL);
    assertThat(fresh.getRequestProperty("traceparent"))
        .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    assertThat(fresh.getRequestProperty("tracestate")).isEqualTo("vendor=v1");

    HttpURLConnection own =
        (HttpURLConnection) URI.create("http://127.0.0.1:9/x").toURL().openConnection();
    own.setRequestProperty(
        "traceparent", "00-11111111111111111111111111111111-2222222222222222-01");
    new TraceHeaders(true).addTo(own, CALL);
    assertThat(own.getRequestProperty("traceparent"))
        .isEqualTo("00-11111111111111111111111111111111-2222222222222222-01");
    assertThat(own.getRequestProperty("tracestate")).isNull();
  }
}
