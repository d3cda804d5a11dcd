package dev.reqflow.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The byte reader of OTLP JSON gives the spans Jackson's reader gives, field by field, or gives the
 * input up (and Jackson reads it): never other spans, never an error the other would not name.
 */
class JsonBytesReadTest {

  @Test
  void readsTheAgentsJsonLinesAsJacksonDoes() throws IOException {
    StringWriter w = new StringWriter();
    for (int i = 0; i < 5; i++) {
      Flow f =
          Timeline.parse(
              "render |=aaaa=BBBBBB=|  B=b+c",
              "worker |      dd     |  role=common-pool",
              "a      | qcts        | mode=sync new",
              "b      |      qnct>sd| after-wait=a pool=okhttp/dispatcher/64/5 reused",
              "c      |      sss    | callback=a thread=worker role=common-pool",
              "d      |      ss     | thread=worker role=common-pool");
      new OtlpJsonLines().write(f, w);
    }

    assertReadAlike(w.toString(), 5 * 8);
  }

  @Test
  void readsProtobufsJsonMappingWithHexOrBase64IdsEscapesAndWhiteSpace() throws IOException {
    ExportTraceServiceRequest rich = ProtoStreamReadTest.rich();
    String compact = JsonFormat.printer().omittingInsignificantWhitespace().print(rich);
    String pretty = JsonFormat.printer().print(rich); // over many lines: spans' lines count
    // JsonFormat writes '=' and other characters as \\u escapes, and ids in base64.
    assertThat(compact).contains("\\u003d");

    int spans = 8;
    assertReadAlike(hexIds(compact, false) + "\n" + compact + "\n", 2 * spans);
    assertReadAlike(pretty + "\n" + hexIds(pretty, true), 2 * spans);
    assertReadAlike(
        "\n  {\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
            + "\"value\":{\"stringValue\":\"caf\u00e9 \\u00e9\\ud83d\\ude00 \u20ac\"}}]},"
            + "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
            + "\"spanId\":\"00000000000000f1\",\"name\":\"GET /caf\u00e9\",\"kind\":2,"
            + "\"startTimeUnixNano\":1700000000000000000,\"endTimeUnixNano\":\"17000000000"
            + "00000900\",\"flags\":0.5e3,\"attributes\":[{\"value\":{\"intValue\":-12},"
            + "\"key\":\"http.response.status_code\"},{\"key\":\"x\",\"value\":{\"kvlistValue\":"
            + "{\"values\":[null,true,false,[],{}]}}}]}]}]}]}\n",
        1);
  }

  @Test
  void givesUpWhatItCannotVouchForAndJacksonSaysWhy() throws IOException {
    String ok =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0af7651916cd43dd8448eb2"
            + "11c80319c\",\"spanId\":\"00000000000000f1\"}]}]}]}\n";
    for (String other :
        List.of(
            "{\"resource_spans\":[]}", // snake_case: Jackson's reader renames it
            "{\"resource\":{},\"scopeSpans\":[]}", // a bare ResourceSpans (logging-otlp)
            "{\"resourceSpans\":[{\"instrumentationLibrarySpans\":[]}]}",
            "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"00000000000000f1\"}]}]}]}",
            "{\"resourceSpans\":[{\"x\":01}]}",
            "{\"resourceSpans\":[{\"x\":\"\u0001\"}]}",
            "{\"resourceSpans\":[{\"x\":[1,]}]}",
            "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"SPAN_KIND_NONE\"}]}]}]}",
            "{\"resourceSpans\":7}",
            "{\"resourceSpans\":[")) {
      byte[] bytes = (ok + other + "\n").getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(
              () ->
                  new OtlpJsonBytesReader(new Interner())
                      .read(bytes, 0, bytes.length, "f", s -> {}))
          .as(other)
          .isInstanceOf(OtlpJsonBytesReader.Unhandled.class);
    }
    byte[] snake = (ok + "{\"resource_spans\":[]}\n").getBytes(StandardCharsets.UTF_8);
    byte[] bad = (ok + "{\"resourceSpans\":7}\n").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ParallelJsonFileReader.parse(bad, bad.length, "f"))
        .isInstanceOf(OtlpFormatException.class)
        .hasMessage("f:2: resourceSpans should be an array, found 7");
    assertThat(ParallelJsonFileReader.parse(snake, snake.length, "f").spans()).hasSize(1);
  }

  private static String hexIds(String json, boolean upper) {
    Matcher m = Pattern.compile("\"(traceId|spanId|parentSpanId)\":\\s*\"([^\"]*)\"").matcher(json);
    StringBuilder sb = new StringBuilder(json.length());
    while (m.find()) {
      String hex = HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(m.group(2)));
      hex = upper ? hex.toUpperCase(java.util.Locale.ROOT) : hex;
      m.appendReplacement(sb, "\"" + m.group(1) + "\":\"" + hex + "\"");
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static void assertReadAlike(String json, int spans) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    List<RawSpan> jackson = new ArrayList<>();
    new OtlpJsonReader(new Interner()).read(bytes, 0, bytes.length, "f", 0, jackson::add);
    List<RawSpan> fast = new ArrayList<>();
    try {
      new OtlpJsonBytesReader(new Interner()).read(bytes, 0, bytes.length, "f", fast::add);
    } catch (OtlpJsonBytesReader.Unhandled e) {
      throw new AssertionError("gave up on OTLP JSON it should read: " + json, e);
    }
    assertThat(jackson).hasSize(spans);
    SameSpans.assertSame(fast, jackson);
  }
}
