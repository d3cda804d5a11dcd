package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A flow that outlives its first thread: detached, attached elsewhere, ended once, counted. */
class FlowLifecycleTest {
  private final List<SpanData> spans = new CopyOnWriteArrayList<>();
  private final Recorder recorder =
      new Recorder(
          SdkTracerProvider.builder()
              .addSpanProcessor(SimpleSpanProcessor.create(new CollectingExporter(spans)))
              .build()
              .get("test"),
          0L,
          true,
          List.of(),
          Set.of(),
          Set.of(),
          (h, c) -> h);

  @Test
  void aDetachedFlowStaysOpenUntilAnyThreadEndsItOnce() throws Exception {
    Object token = recorder.flowEnter("GET /async", "GET", "/async", null);
    Object flow = recorder.flowHandle(token);
    assertThat(recorder.flowDetach(token)).isSameAs(flow);
    // The first thread is itself again: no flow on it.
    assertThat(ThreadState.current().flow).isNull();
    assertThat(recorder.openAtExit()).isEqualTo(1);
    assertThat(spans).isEmpty();

    Thread other =
        new Thread(
            () -> {
              Object attached = recorder.flowAttach(flow);
              assertThat(ThreadState.current().flow).isSameAs(flow);
              recorder.flowReleased(flow);
              recorder.flowAttachExit(attached);
              assertThat(ThreadState.current().flow).isNull();
              recorder.flowEnd(flow, 200, null);
            });
    other.start();
    other.join();
    recorder.flowEnd(flow, 500, null);

    assertThat(recorder.openAtExit()).isZero();
    assertThat(spans)
        .extracting(SpanData::getName)
        .containsExactly("block async.response", "GET /async");
    SpanData f = spans.get(1);
    assertThat(f.getAttributes().asMap().toString()).contains("http.response.status_code=200");
    SpanData wait = spans.get(0);
    // On the first thread's lane, from its return to the release.
    assertThat(wait.getAttributes().asMap().toString()).contains("reqflow.thread.role=render");
    assertThat(wait.getParentSpanId()).isEqualTo(f.getSpanId());
    assertThat(recorder.flowAttach(flow)).as("an ended flow takes no more work").isNull();
  }

  @Test
  void aCompleteWhileTheFlowsThreadStillRunsEndsItOnItsWayOut() {
    Object token = recorder.flowEnter("GET /c", "GET", "/c", null);
    Object flow = recorder.flowHandle(token);
    // complete() from another thread before the first one returned: not yet.
    assertThat(recorder.flowCompleting(flow)).isFalse();
    assertThat(recorder.flowCompleteRequested(flow)).isTrue();
    recorder.flowDetach(token);
    assertThat(recorder.openAtExit()).isZero();
    assertThat(spans).extracting(SpanData::getName).containsExactly("GET /c");
  }

  @Test
  void aFlowWhoseEndNeverComesIsCountedOpen() {
    Object token = recorder.flowEnter("GET /lost", "GET", "/lost", null);
    recorder.flowDetach(token);
    assertThat(recorder.openAtExit()).isEqualTo(1);
    assertThat(spans).isEmpty();
  }

  /** Keeps what the SDK ends. */
}
