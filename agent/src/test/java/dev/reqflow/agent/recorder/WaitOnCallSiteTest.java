package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.sites.App;
import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.Client;
import dev.reqflow.contract.TraceContract.SpanType;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A synchronous client's wait on the call it issues, inside the method that issues it, has the
 * call's site without a second walk of the stack; a wait on the call from anywhere else has its
 * own.
 */
class WaitOnCallSiteTest {
  private static final AttributeKey<String> TYPE = AttributeKey.stringKey(Attr.SPAN_TYPE);
  private static final AttributeKey<String> FUNCTION =
      AttributeKey.stringKey(Attr.CODE_FUNCTION_NAME);
  private static final AttributeKey<Long> LINE = AttributeKey.longKey(Attr.CODE_LINE_NUMBER);

  private final List<SpanData> spans = new ArrayList<>();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(new CollectingExporter(spans)))
          .build();
  private final Recorder recorder =
      new Recorder(provider.get("test"), 0L, true, List.of(), Set.of(), Set.of(), (h, c) -> h);

  @Test
  void theWaitInsideTheClientsMethodIsAtTheCallsSite() {
    Object flow = recorder.flowEnter("GET /page", "GET", "/page", null);
    Object[] call = new Object[1];
    App.call(() -> call[0] = send()); // the application's line: App.call
    recorder.flowExit(flow, 200, null);

    SpanData c = only(SpanType.CALL);
    SpanData wait = only(SpanType.BLOCK);
    assertThat(c.getAttributes().get(FUNCTION)).isEqualTo(App.class.getName() + ".call");
    assertThat(wait.getAttributes().get(FUNCTION)).isEqualTo(c.getAttributes().get(FUNCTION));
    assertThat(wait.getAttributes().get(LINE)).isNotNull().isEqualTo(c.getAttributes().get(LINE));
  }

  @Test
  void aWaitOnTheCallAfterItWasIssuedWalksItsOwnStack() {
    Object flow = recorder.flowEnter("GET /page", "GET", "/page", null);
    Object call =
        App.call(
            () -> {
              Object rec =
                  recorder.callEnter(
                      null, Client.JDK_HTTP_CLIENT, true, "GET", "http://h/x", "h", 80);
              recorder.callIssued(rec, null, null);
              return rec;
            });
    long start = recorder.blockEnter(call); // here, outside App: this test's frame
    recorder.blockExit(start, call, BlockKind.HTTP_CLIENT_SEND);
    recorder.flowExit(flow, 200, null);

    SpanData wait = only(SpanType.BLOCK);
    assertThat(only(SpanType.CALL).getAttributes().get(FUNCTION))
        .isEqualTo(App.class.getName() + ".call");
    assertThat(wait.getAttributes().get(FUNCTION)).isNotEqualTo(App.class.getName() + ".call");
  }

  /** As {@code HttpClient.send}'s advice reports a call: issued, waited on, then returned. */
  private Object send() {
    Object rec =
        recorder.callEnter(null, Client.JDK_HTTP_CLIENT, true, "GET", "http://h/x", "h", 80);
    long start = recorder.blockEnter(rec);
    recorder.blockExit(start, rec, BlockKind.HTTP_CLIENT_SEND);
    recorder.callIssued(rec, null, null);
    return rec;
  }

  private SpanData only(String type) {
    provider.forceFlush();
    List<SpanData> of =
        spans.stream().filter(s -> type.equals(s.getAttributes().get(TYPE))).toList();
    assertThat(of).hasSize(1);
    return of.get(0);
  }
}
