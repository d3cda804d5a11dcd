package dev.reqflow.analysis;

import static dev.reqflow.flow.Timeline.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Waits for monitors, locks and semaphores that held the page's calls back, drawn as timelines:
 * {@code %} is a thread waiting for the lock its line names.
 */
class LockRulesTest {
  static final String CLIENT = "lock=com.example.LockedClient lock-site=31";
  static final String SEMAPHORE = "lock=java.util.concurrent.Semaphore lock-kind=lock.park";

  @Test
  void callsIssuedTogetherThroughASynchronizedClientRanOneAtATime() {
    // One task per call, each on its own thread, through a client whose methods are
    // synchronized: each task's call span starts when it was submitted, and its thread first
    // waits for the monitor ('-', no phase), then makes the call.
    Flow flow =
        Timeline.parse(
            "render |aaaabbbbcccc=|",
            "t2     |%%%%         | " + CLIENT + " held-by=a",
            "t3     |%%%%%%%%     | " + CLIENT + " held-by=b",
            "a      |ssss         | thread=t1 mode=sync",
            "b      |----ssss     | thread=t2 mode=sync",
            "c      |--------ssss | thread=t3 mode=sync");

    List<Suggestion> s = Analysis.suggest(flow);

    assertThat(s).extracting(Suggestion::kind).containsExactly(SuggestionKind.SERIALIZED_BY_LOCK);
    Suggestion top = s.get(0);
    assertThat(top.title())
        .isEqualTo(
            "Do not hold the monitor of LockedClient while calling, at"
                + " Client.get(Client.java:31)");
    assertThat(top.explanation())
        .contains("2 calls waited 120 ms in total for the monitor of com.example.LockedClient")
        .contains(
            "GET http://backend-c:8080/c at Page.render(Page.java:102), 120 ms, waited 80 ms");
    assertThat(top.spanIds()).contains("a", "b", "c");
    // Without the lock the three calls run together: the page waits for one call, then renders.
    assertThat(top.predictedNanos()).isEqualTo(50 * MS);
    assertThat(top.savingNanos()).isEqualTo(80 * MS);
  }

  /**
   * Earlier pages that called the same request on a new connection ({@code fresh}) and on a reused
   * one ({@code reused}), three times each: what a new connection costs, as recorded.
   */
  private static List<Flow> history(String fresh, String reused) {
    List<Flow> out = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      out.add(
          Timeline.parse(
              10,
              "GET /other",
              "trace-" + i,
              "render |AAAAAAAAAAAA=|  A=n+r",
              "n      |" + pad(fresh) + "| mode=sync new host=api:80 url=http://api:80/x?id=n",
              "r      |"
                  + pad("      " + reused)
                  + "| mode=sync reused host=api:80"
                  + " url=http://api:80/x?id=r after-wait=n"));
    }
    return out;
  }

  private static String pad(String art) {
    return String.format("%-13s", art);
  }

  /** Six OkHttp calls a synchronized wrapper ran one at a time, all on one reused connection. */
  private static Flow sixLockedCalls(String path) {
    String call = " mode=sync reused host=api:80 url=http://api:80" + path + "?id=";
    return Timeline.parse(
        10,
        "GET /page",
        "trace-9",
        "render |AAAAAAAAAAAAAAAAAAAAAAAA=|  A=a+b+c+d+e+f",
        "t2     |%%%%                     | " + CLIENT,
        "t3     |%%%%%%%%                 | " + CLIENT,
        "t4     |%%%%%%%%%%%%             | " + CLIENT,
        "t5     |%%%%%%%%%%%%%%%%         | " + CLIENT,
        "t6     |%%%%%%%%%%%%%%%%%%%%     | " + CLIENT,
        "a      |ssss                     | thread=t1" + call + "a",
        "b      |----ssss                 | thread=t2" + call + "b",
        "c      |--------ssss             | thread=t3" + call + "c",
        "d      |------------ssss         | thread=t4" + call + "d",
        "e      |----------------ssss     | thread=t5" + call + "e",
        "f      |--------------------ssss | thread=t6" + call + "f");
  }

  @Test
  void withoutTheLockTheCallsBeyondOkHttpsIdleConnectionsOpenOne() {
    // A new connection made the same request 20 ms longer (its connect).
    List<Flow> flows = new java.util.ArrayList<>(history("ccssss", "ssss"));
    flows.add(sixLockedCalls("/x"));

    FlowReport page = Analysis.analyse(flows).flows().get(3);

    Suggestion top = page.suggestions().get(0);
    assertThat(top.kind()).isEqualTo(SuggestionKind.SERIALIZED_BY_LOCK);
    // Six at once: OkHttp keeps 5 idle between pages, so one call opens a connection, 20 ms, on
    // every page: 40 + 20 + 10 ms, where the calls alone would take 50.
    assertThat(top.predictedNanos()).isEqualTo(70 * MS);
  }

  @Test
  void aNewConnectionCostsWhatTheWholeCallShowsNotItsConnectAlone() {
    // The connect took 20 ms, but the reused connection's body came 20 ms later (a delayed ACK):
    // the same request took as long either way, and opening one costs the page nothing.
    // (The page calls another path of that host: the host's figure is the history's.)
    List<Flow> flows = new java.util.ArrayList<>(history("ccssss", "ssssdd"));
    flows.add(sixLockedCalls("/y"));

    FlowReport page = Analysis.analyse(flows).flows().get(3);

    assertThat(page.suggestions().get(0).predictedNanos()).isEqualTo(50 * MS);
  }

  @Test
  void withoutAHolderLinkTheCallThatEndedAsTheWaitEndedHeldTheLock() {
    // A virtual thread's monitor wait names no holder: the call that ended as the wait ended did.
    Flow flow =
        Timeline.parse(
            "render |aaaabbbb=|",
            "t2     |%%%%     | " + CLIENT,
            "a      |ssss     | thread=t1 mode=sync",
            "b      |----ssss | thread=t2 mode=sync");

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.SERIALIZED_BY_LOCK);
    assertThat(top.spanIds()).contains("a", "b");
    assertThat(top.predictedNanos()).isEqualTo(50 * MS);
  }

  @Test
  void aSemaphoreIsALimitToRaiseToTheCallsBehindIt() {
    Flow flow =
        Timeline.parse(
            "render |aaaacccc=|",
            "t3     |%%%%     | " + SEMAPHORE,
            "t4     |%%%%     | " + SEMAPHORE,
            "a      |ssss     | thread=t1 mode=sync",
            "b      |ssss     | thread=t2 mode=sync",
            "c      |----ssss | thread=t3 mode=sync",
            "d      |----ssss | thread=t4 mode=sync");

    List<Suggestion> s = Analysis.suggest(flow);

    assertThat(s).extracting(Suggestion::kind).containsExactly(SuggestionKind.RAISE_POOL_LIMIT);
    assertThat(s.get(0).title())
        .isEqualTo(
            "Raise the permits of the Semaphore acquired at Client.get(Client.java:50) from 2 to 4");
    assertThat(s.get(0).explanation())
        .contains("which let at most 2 of them run at once")
        .contains("new Semaphore(4)");
    assertThat(s.get(0).predictedNanos()).isEqualTo(50 * MS);
  }

  @Test
  void permitsHandedOverLateOnABusyMachineStillCountTheirHolders() {
    // The waiters woke 10 ms after the holders' calls ended: each wait still has its holder.
    Flow flow =
        Timeline.parse(
            "render |aaaa=ccccc=|",
            "t3     |%%%%%      | " + SEMAPHORE,
            "t4     |%%%%%      | " + SEMAPHORE,
            "a      |ssss       | thread=t1 mode=sync",
            "b      |ssss       | thread=t2 mode=sync",
            "c      |-----ssss  | thread=t3 mode=sync",
            "d      |-----ssss  | thread=t4 mode=sync");

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.title()).endsWith(" from 2 to 4");
  }

  @Test
  void theRenderThreadWaitingForAMonitorATaskHoldsDuringItsCall() {
    // The page's own synchronous call goes through the client while a task's call holds it.
    Flow flow =
        Timeline.parse(
            "render |=%%%%aaaa=| " + CLIENT + " held-by=b",
            "a      |     ssss  | mode=sync",
            "b      |sssss      | thread=t1 mode=sync");

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.SERIALIZED_BY_LOCK);
    assertThat(top.spanIds()).contains("a", "b");
    // The page no longer waits for the monitor: its call runs from 10 to 50 ms.
    assertThat(top.predictedNanos()).isEqualTo(60 * MS);
    assertThat(Analysis.criticalPath(flow).segments().get(1).kind())
        .isEqualTo(CriticalPath.Kind.BLOCKED);
  }

  @Test
  void aLockWaitThatHeldNoCallBackIsNotASuggestion() {
    // The render thread waited for a monitor; no call came after, none held it.
    Flow flow = Timeline.parse("render |==%%%%====| " + CLIENT);

    assertThat(Analysis.suggest(flow)).isEmpty();
  }

  @Test
  void callsThatNeverWaitedForTheLockAreNotSerializedByIt() {
    Flow flow =
        Timeline.parse(
            "render |aaaa=|",
            "a      |ssss | thread=t1 mode=sync",
            "b      |ssss | thread=t2 mode=sync",
            "c      |ssss | thread=t3 mode=sync");

    assertThat(Analysis.suggest(flow)).isEmpty();
  }
}
