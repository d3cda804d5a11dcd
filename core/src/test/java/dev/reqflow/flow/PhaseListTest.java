package dev.reqflow.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseListTest {
  private static final List<Phase> PHASES =
      List.of(
          new Phase(PhaseKind.QUEUED, 0, 10),
          new Phase(PhaseKind.DNS, 10, 12),
          new Phase(PhaseKind.CONNECT, 12, 15),
          new Phase(PhaseKind.SERVER, 15, 80),
          new Phase(PhaseKind.DOWNLOAD, 80, 90));

  @Test
  void packedPhasesAreTheSamePhasesInTheSameOrder() {
    List<Phase> packed = PhaseList.copyOf(new ArrayList<>(PHASES));

    assertThat(packed).isInstanceOf(PhaseList.class).containsExactlyElementsOf(PHASES);
    assertThat(packed).isEqualTo(PHASES).hasSameHashCodeAs(PHASES);
    assertThat(PhaseList.copyOf(packed)).isSameAs(packed);
    assertThatThrownBy(() -> packed.get(5)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> packed.add(PHASES.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void everyKindSurvivesPacking() {
    List<Phase> all = new ArrayList<>();
    for (PhaseKind k : PhaseKind.values()) {
      all.add(new Phase(k, k.ordinal() * 10L, k.ordinal() * 10L + 5));
    }
    assertThat(PhaseList.copyOf(all)).containsExactlyElementsOf(all);
  }

  @Test
  void aCallSumsItsPackedPhasesByKind() {
    Call call =
        new Call(
            "c1",
            "GET",
            "http://a/x",
            "a",
            80,
            200,
            "",
            "",
            CallMode.SYNC,
            0,
            90,
            List.of(
                new Phase(PhaseKind.CONNECT, 0, 3),
                new Phase(PhaseKind.SERVER, 3, 50),
                new Phase(PhaseKind.CONNECT, 50, 54),
                new Phase(PhaseKind.DOWNLOAD, 54, 90)),
            ConnectionReuse.NEW,
            Pool.NONE,
            CodeLocation.UNKNOWN,
            ThreadRef.UNKNOWN,
            List.of());

    assertThat(call.phases()).isInstanceOf(PhaseList.class);
    assertThat(call.phaseNanos(PhaseKind.CONNECT)).isEqualTo(7);
    assertThat(call.phaseNanos(PhaseKind.DOWNLOAD)).isEqualTo(36);
    assertThat(call.phaseNanos(PhaseKind.TLS)).isZero();
  }

  @Test
  void noPhasesIsTheEmptyList() {
    assertThat(PhaseList.copyOf(List.of())).isSameAs(List.of());
    assertThatThrownBy(() -> PhaseList.copyOf(java.util.Arrays.asList((Phase) null)))
        .isInstanceOf(NullPointerException.class);
  }
}
