package dev.reqflow.analysis;

import static dev.reqflow.flow.Timeline.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Responses never closed (calls the agent ended as incomplete) and response bodies read after the
 * client's method returned ({@code body.read} waits).
 */
class ResponseBodiesTest {

  /** Six serial calls, like the issue's, drawn three: each opened a connection (20 ms). */
  private static Flow leakedPage(String incomplete) {
    String leak = incomplete.isEmpty() ? "" : " incomplete=" + incomplete;
    return Timeline.parse(
        "render |=aaaaaa=bbbbbb=cccccc=|",
        "a      | ccssss               | mode=sync new host=api:80 site=40" + leak,
        "b      |        ccssss        | mode=sync new host=api:80 site=40 after-wait=a" + leak,
        "c      |               ccssss | mode=sync new host=api:80 site=40 after-wait=b" + leak);
  }

  @Test
  void responsesNeverClosedAreTheFirstThingToChange() {
    List<Suggestion> s = Analysis.suggest(leakedPage("unclosed"));

    Suggestion top = s.get(0);
    assertThat(top.kind()).isEqualTo(SuggestionKind.CLOSE_RESPONSE_BODY);
    assertThat(top.title())
        .isEqualTo(
            "Close the responses at Page.render(Page.java:40):"
                + " never closed, so 2 calls opened a new connection");
    // b and c reuse the connections a and b give back: 220 ms less their 2 x 20 ms of connect.
    assertThat(top.predictedNanos()).isEqualTo(180 * MS);
    assertThat(top.explanation()).contains("never closed 3 responses", "That is why 2 calls");
    assertThat(top.spanIds()).containsExactly("b", "c", "a");
    // Issuing them together saves more, but the leak comes first; no client setting frees them.
    assertThat(s).extracting(Suggestion::kind).contains(SuggestionKind.PARALLELIZE);
    assertThat(s.get(1).savingNanos()).isGreaterThan(top.savingNanos());
    assertThat(s).extracting(Suggestion::kind).doesNotContain(SuggestionKind.REUSE_CONNECTIONS);
  }

  @Test
  void responsesDroppedUnclosedSaySo() {
    Suggestion top = Analysis.suggest(leakedPage("unreachable")).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.CLOSE_RESPONSE_BODY);
    assertThat(top.explanation()).contains("dropped unclosed");
  }

  @Test
  void closedResponsesOnNewConnectionsAreAClientToShareNotALeak() {
    List<Suggestion> s = Analysis.suggest(leakedPage(""));

    assertThat(s).extracting(Suggestion::kind).doesNotContain(SuggestionKind.CLOSE_RESPONSE_BODY);
    assertThat(s).extracting(Suggestion::kind).contains(SuggestionKind.REUSE_CONNECTIONS);
  }

  @Test
  void aProcessThatExitedIsNoLeak() {
    assertThat(Analysis.suggest(leakedPage("exit")))
        .extracting(Suggestion::kind)
        .doesNotContain(SuggestionKind.CLOSE_RESPONSE_BODY)
        .contains(SuggestionKind.REUSE_CONNECTIONS);
  }

  @Test
  void aLeakThatCostNothingIsNotSuggested() {
    // Each call to a host of its own: no later call could have had the leaked connections.
    Flow flow =
        Timeline.parse(
            "render |=aaaaaa=bbbbbb=|",
            "a      | ccssss        | mode=sync new host=a:80 incomplete=unclosed",
            "b      |        ccssss | mode=sync new host=b:80 after-wait=a incomplete=unclosed");

    assertThat(Analysis.suggest(flow))
        .extracting(Suggestion::kind)
        .doesNotContain(SuggestionKind.CLOSE_RESPONSE_BODY);
  }

  @Test
  void earlierPagesThatLeakedLeaveNoConnectionToShare() {
    // Three pages that leak: as recorded, none left a connection idle for the next one, so a
    // shared client is no fix; closing the responses is, and then every call of a later page reuses
    // one (the first a connection the page before gave back).
    List<Flow> pages = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pages.add(
          Timeline.parse(
              10,
              "GET /page",
              "trace-" + i,
              "render |=aaaaaa=bbbbbb=| start-ms=" + (i * 1000),
              "a      | ccssss        | mode=sync new host=api:80 incomplete=unclosed",
              "b      |        ccssss | mode=sync new host=api:80 after-wait=a incomplete=unclosed"));
    }
    // One page after another: trace-0 is the first page.
    AnalysisResult result = Analysis.analyse(pages);

    FlowReport last = result.flows().get(2);
    assertThat(last.suggestions().get(0).kind()).isEqualTo(SuggestionKind.CLOSE_RESPONSE_BODY);
    // Both calls reuse a connection: 150 ms less 2 x 20 ms.
    assertThat(last.suggestions().get(0).predictedNanos()).isEqualTo(110 * MS);
    assertThat(last.suggestions())
        .extracting(Suggestion::kind)
        .doesNotContain(SuggestionKind.REUSE_CONNECTIONS);
  }

  @Test
  void closingCostsTheRestOfEachBodyAsTheSameRequestsShowIt() {
    // The same page where its responses were closed: each body came 10 ms after its first byte.
    // Closing an unread response reads that rest (OkHttp's close() does, to keep the connection).
    Flow closed =
        Timeline.parse(
            10,
            "GET /page",
            "trace-0",
            "render |=aaaaa=bbbbb=ccccc=|",
            "a      | sssssd            | mode=sync reused host=api:80 site=40",
            "b      |       sssssd      | mode=sync reused host=api:80 site=40 after-wait=a",
            "c      |             sssssd| mode=sync reused host=api:80 site=40 after-wait=b");
    Flow leaked =
        Timeline.parse(
            10,
            "GET /page",
            "trace-1",
            "render |=aaaaaa=bbbbbb=cccccc=| start-ms=1000",
            "a      | ccssss               | mode=sync new host=api:80 site=40 incomplete=unclosed",
            "b      |        ccssss        | mode=sync new host=api:80 site=40 after-wait=a"
                + " incomplete=unclosed",
            "c      |               ccssss | mode=sync new host=api:80 site=40 after-wait=b"
                + " incomplete=unclosed");

    FlowReport page = Analysis.analyse(List.of(closed, leaked)).flows().get(1);

    Suggestion top = page.suggestions().get(0);
    assertThat(top.kind()).isEqualTo(SuggestionKind.CLOSE_RESPONSE_BODY);
    // The page before left a connection: all three reuse one (3 x 20 ms less), and each close
    // reads 10 ms of body: 220 - 60 + 30.
    assertThat(top.predictedNanos()).isEqualTo(190 * MS);
    assertThat(top.explanation()).contains("counts the rest of each body, read on close");
  }

  @Test
  void aBodyOnlyOtherRequestsReadIsCountedAsTheirsAndSaysSo() {
    // Another page reads its own request's body from the same host (10 ms after the first byte);
    // the leaking page's requests are never read anywhere. Their rest is counted as the host's,
    // and the explanation says that another request's body says nothing of these.
    Flow other =
        Timeline.parse(
            10,
            "GET /other",
            "trace-0",
            "render |=aaaaa=|",
            "a      | sssssd| mode=sync reused host=api:80 url=http://api:80/other site=41");
    Flow leaked =
        Timeline.parse(
            10,
            "GET /page",
            "trace-1",
            "render |=aaaaaa=bbbbbb=| start-ms=1000",
            "a      | ccssss        | mode=sync new host=api:80 url=http://api:80/a site=40"
                + " incomplete=unclosed",
            "b      |        ccssss | mode=sync new host=api:80 url=http://api:80/b site=40 after-wait=a"
                + " incomplete=unclosed");

    FlowReport page = Analysis.analyse(List.of(other, leaked)).flows().get(1);

    Suggestion top = page.suggestions().get(0);
    assertThat(top.kind()).isEqualTo(SuggestionKind.CLOSE_RESPONSE_BODY);
    // 150 ms: both reuse the connection the other page left (2 x 20 ms of connect less), and each
    // close reads 10 ms of body, as the other request's download took.
    assertThat(top.predictedNanos()).isEqualTo((150 - 2 * 20 + 2 * 10) * MS);
    assertThat(top.explanation())
        .contains(
            "The prediction leaves out reading the rest of 2 bodies on close",
            "but for what other requests to that host took to download theirs (20 ms in total)",
            "The page may take longer than predicted.")
        // One reused call to api:80 is too few to tell what a new connection costs beyond its
        // connect: that is left out too, and said.
        .contains("no request to api:80 was recorded 3 times on new and on reused connections");
  }

  @Test
  void aBodyNoCallReadLeavesItsCloseOutAndSaysSo() {
    Suggestion top = Analysis.suggest(leakedPage("unclosed")).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.CLOSE_RESPONSE_BODY);
    assertThat(top.predictedNanos()).isEqualTo(180 * MS);
    assertThat(top.explanation()).contains("leaves out reading the rest of 3 bodies");
  }

  @Test
  void bodyReadsAfterTheCallReturnedAreBlockedTime() {
    Flow flow =
        Timeline.parse(
            "render |=aaaAA=bbbBB=|  A=a B=b reads=A+B",
            "a      | sssdd       | mode=sync site=31",
            "b      |      sssdd  | mode=sync site=32 after-wait=a");

    assertThat(Analysis.criticalPath(flow).blockedNanos()).isEqualTo(100 * MS);
    Suggestion top = Analysis.suggest(flow).get(0);
    assertThat(top.kind()).isEqualTo(SuggestionKind.PARALLELIZE);
    // Both issued at +10 ms end at +60 ms; the page then only reads and renders: 80 ms.
    assertThat(top.predictedNanos()).isEqualTo(80 * MS);
  }

  @Test
  void readingItsOwnBodyInTheCallbackIsNotBlockingTheClient() {
    Flow flow =
        Timeline.parse(
            "render  |=AAAAAAAAA=|  A=a+b",
            "okhttp  |     RRR   |  role=client-dispatcher reads=R R=a in-R=a",
            "okhttp2 |      RR   |  role=client-dispatcher reads=S S=b in-S=b",
            "a       | ssssddd   | thread=okhttp",
            "b       | sssssdd   | thread=okhttp2");

    assertThat(Analysis.suggest(flow))
        .extracting(Suggestion::kind)
        .doesNotContain(SuggestionKind.BLOCKING_WAIT_ON_DISPATCHER);
  }
}
