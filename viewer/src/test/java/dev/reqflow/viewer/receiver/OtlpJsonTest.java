package dev.reqflow.viewer.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {
  @Test
  void hexIdsAndStringTimes() throws Exception {
    String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
            + "\"spanId\":\"00000000000000f1\",\"name\":\"GET /home\",\"kind\":2,"
            + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000000100000000\"}]}]}]}";
    ExportTraceServiceRequest r = OtlpJson.parse(json);
    var span = r.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray()))
        .isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(span.getEndTimeUnixNano() - span.getStartTimeUnixNano()).isEqualTo(100_000_000);
  }

  @Test
  void malformedJsonIsRefused() {
    assertThatThrownBy(() -> OtlpJson.parse("{\"resourceSpans\": [")).isInstanceOf(Exception.class);
  }
}
