package dev.reqflow.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Sampling;
import dev.reqflow.flow.Timeline;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A flow written as the agent writes it reads back as the same flow. */
class RoundTripTest {

  @Test
  void flowSurvivesOtlpJsonLines() throws IOException {
    Flow flow =
        Timeline.parse(
            "render |=aaaa=BBBBBB=|  B=b+c",
            "worker |      dd     |  role=common-pool",
            "a      | qcts        | mode=sync new",
            "b      |      qnct>sd| after-wait=a pool=okhttp/dispatcher/64/5 reused",
            "c      |      sss    | callback=a thread=worker role=common-pool",
            "d      |      ss     | thread=worker role=common-pool");
    StringWriter w = new StringWriter();
    new OtlpJsonLines().write(flow, w);

    Flow back =
        new FlowAssembler()
            .addJson(new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.UTF_8)), "mem")
            .build()
            .flows()
            .get(0);

    assertThat(back.warnings()).isEmpty();
    assertThat(back.durationNanos()).isEqualTo(flow.durationNanos());
    assertThat(back.blockedNanos()).isEqualTo(flow.blockedNanos());
    assertThat(back.calls()).hasSize(4);
    for (int i = 0; i < 4; i++) {
      Call was = flow.calls().get(i);
      Call is = back.calls().get(i);
      assertThat(is.phases()).as(was.spanId()).isEqualTo(was.phases());
      assertThat(is.mode()).isEqualTo(was.mode());
      assertThat(is.pool()).isEqualTo(was.pool());
      assertThat(is.connectionReuse()).isEqualTo(was.connectionReuse());
      assertThat(is.thread()).isEqualTo(was.thread());
      assertThat(is.dependencies()).hasSameSizeAs(was.dependencies());
    }
    assertThat(back.blocks()).hasSize(3);
    assertThat(back.lanes()).hasSize(2);
  }

  @Test
  void samplingSurvivesOtlpJsonLines() throws IOException {
    Flow flow =
        Timeline.parse(
            "render |=aaaa=| sampled=sample=0.1,keep.slow/slower_than_p90",
            "a      | ssss | mode=sync reused");
    StringWriter w = new StringWriter();
    new OtlpJsonLines().write(flow, w);

    Flow back =
        new FlowAssembler()
            .addJson(new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.UTF_8)), "mem")
            .build()
            .flows()
            .get(0);

    assertThat(back.sampling()).isEqualTo(new Sampling("sample=0.1,keep.slow", "slower_than_p90"));
    assertThat(back.sampling().keptForBeingSlowOrFailed()).isTrue();
  }
}
