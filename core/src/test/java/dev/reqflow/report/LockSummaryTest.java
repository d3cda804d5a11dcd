package dev.reqflow.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.SuggestionKind;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the report names a lock that serialized a page's calls. */
class LockSummaryTest {
  static Flow locked() {
    return Timeline.parse(
        10,
        "GET /locked",
        "7bf92f3577b34da6a3ce929d0e0e4736",
        "render |aaaabbbbcccc=|",
        "t2     |%%%%         | lock=com.example.LockedClient lock-site=23 held-by=a",
        "t3     |%%%%%%%%     | lock=com.example.LockedClient lock-site=23 held-by=b",
        "a      |ssss         | thread=t1 mode=sync site=25",
        "b      |----ssss     | thread=t2 mode=sync site=25",
        "c      |--------ssss | thread=t3 mode=sync site=25");
  }

  @Test
  void theSummaryNamesTheLineThatTakesTheLockOnce() {
    Summary summary = Summary.of(Analysis.analyse(List.of(locked())));

    Summary.Item first = summary.items().get(0);
    assertThat(first.kind()).isEqualTo(SuggestionKind.SERIALIZED_BY_LOCK);
    assertThat(first.title())
        .isEqualTo(
            "Do not hold the monitor of LockedClient while calling, at"
                + " Client.get(Client.java:23)");
    // The title names where the lock is taken: nothing to add.
    assertThat(first.where().phrase(first.kind(), first.title())).isEmpty();
  }

  @Test
  void theCriticalPathSaysARenderWaitWasForALockAndWhoHeldIt() {
    Flow flow =
        Timeline.parse(
            "render |=%%%%aaaa=| lock=com.example.LockedClient held-by=b",
            "a      |     ssss  | mode=sync",
            "b      |sssss      | thread=t1 mode=sync url=http://cart/cart");

    String segment = Words.segment(Analysis.criticalPath(flow).segments().get(1));

    assertThat(segment)
        .isEqualTo(
            "waiting at Client.get(Client.java:50) for the monitor of com.example.LockedClient,"
                + " held by GET http://cart/cart");
  }
}
