package dev.reqflow.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Assemblers made with one {@link FlowAssembler.Shared} (a live session's, one per trace) build the
 * flows an assembler of its own builds, holding one copy of what they repeat.
 */
class SharedAssemblersTest {
  private static byte[] pageJson() throws IOException {
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
    return w.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Flow read(FlowAssembler a, byte[] json) throws IOException {
    return a.addJson(new ByteArrayInputStream(json), "mem").build().flows().get(0);
  }

  @Test
  void sharedAssemblersBuildTheSameFlowsHoldingOneCopyOfTheirNamesAndThreads() throws IOException {
    byte[] json = pageJson();
    Flow alone = read(new FlowAssembler(), json);
    FlowAssembler.Shared shared = new FlowAssembler.Shared();
    Flow first = read(new FlowAssembler(shared), json);
    Flow second = read(new FlowAssembler(shared), json);

    for (Flow f : List.of(first, second)) {
      assertThat(f.warnings()).isEqualTo(alone.warnings());
      assertThat(f.durationNanos()).isEqualTo(alone.durationNanos());
      assertThat(f.blockedNanos()).isEqualTo(alone.blockedNanos());
      assertThat(f.calls()).hasSameSizeAs(alone.calls());
      for (int i = 0; i < alone.calls().size(); i++) {
        Call was = alone.calls().get(i);
        Call is = f.calls().get(i);
        assertThat(is.phases()).as(was.spanId()).isEqualTo(was.phases());
        assertThat(is.thread()).isEqualTo(was.thread());
        assertThat(is.pool()).isEqualTo(was.pool());
        assertThat(is.url()).isEqualTo(was.url());
      }
    }
    // Read by two assemblers, one copy: the same instances, not equal ones.
    for (int i = 0; i < first.calls().size(); i++) {
      assertThat(second.calls().get(i).thread()).isSameAs(first.calls().get(i).thread());
      assertThat(second.calls().get(i).url()).isSameAs(first.calls().get(i).url());
    }
    assertThat(second.name()).isSameAs(first.name());
  }

  @Test
  void boundedInternerSharesEqualStringsAndForgetsWhatItsSlotNoLongerHolds() {
    Interner in = Interner.bounded(1);
    String a = new String("GET /home");
    assertThat(in.intern(a)).isSameAs(a);
    assertThat(in.intern(new String("GET /home"))).isSameAs(a);
    String b = new String("GET /cart");
    assertThat(in.intern(b)).isSameAs(b); // one slot: b replaces a
    String a2 = new String("GET /home");
    assertThat(in.intern(a2)).isSameAs(a2);
    assertThat(in.intern(null)).isNull();
  }

  @Test
  void boundedInternerGivesEveryThreadAnEqualString() throws Exception {
    Interner in = Interner.bounded(16);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(
            pool.submit(
                () -> {
                  int wrong = 0;
                  for (int i = 0; i < 20_000; i++) {
                    String s = "name-" + (i % 64);
                    wrong += s.equals(in.intern(s)) ? 0 : 1;
                  }
                  return wrong;
                }));
      }
      for (Future<Integer> f : done) {
        assertThat(f.get()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void boundedInternerWantsAPowerOfTwo() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Interner.bounded(3))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
