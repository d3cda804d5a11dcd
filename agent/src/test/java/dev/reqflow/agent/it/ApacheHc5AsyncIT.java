package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.SuggestionKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Apache HttpClient 5.x async ({@code CloseableHttpAsyncClient}). */
class ApacheHc5AsyncIT extends PooledClientChecks {
  @Override
  String client() {
    return "hc5-async";
  }

  @Override
  String clientAttribute() {
    return "apache-httpclient5-async";
  }

  @Override
  String mode() {
    return "async";
  }

  @Override
  String manager() {
    return "PoolingAsyncClientConnectionManager";
  }

  @Override
  int perRoute() {
    return 5;
  }

  @Override
  int total() {
    return 25;
  }

  @Override
  int routeCalls() {
    return 10;
  }

  @Override
  String serialBlockKind() {
    return "future.get";
  }

  /** {@code execute(request, null).get()} in turn: asynchronous calls issued after a wait. */
  @Override
  SuggestionKind serialAdvice() {
    return SuggestionKind.ISSUE_EARLIER;
  }

  @Override
  boolean showsRequestSent() {
    return false;
  }

  @Override
  int shapeCalls() {
    return 5;
  }

  /**
   * A call issued in another's callback, the producer/consumer form, a 500 and a refusal; the
   * page's wait on the future the second call's callback completes is linked to it.
   */
  @Override
  void checkShape(List<RecordedSpan> calls) {
    RecordedSpan first = calls.get(0);
    RecordedSpan second = calls.get(1);
    assertThat(first.request()).isEqualTo("GET /first");
    assertThat(second.request()).isEqualTo("GET /second");
    assertThat(second.start).isGreaterThanOrEqualTo(first.end);
    assertThat(second.links).extracting(l -> l.spanId).containsExactly(first.spanId);
    assertThat(second.links.get(0).attributes.get("reqflow.link.type")).isEqualTo("callback");
    assertThat(second.attr("reqflow.thread.role")).isEqualTo("client-dispatcher");
    assertThat(second.attr("thread.name")).startsWith("httpclient-dispatch-");
    RecordedSpan basic = calls.get(2);
    assertThat(basic.request()).isEqualTo("GET /basic");
    assertThat(basic.attr("http.response.status_code")).isEqualTo("200");
    RecordedSpan failed = calls.get(3);
    assertThat(failed.attr("http.response.status_code")).isEqualTo("500");
    assertThat(failed.attr("error.type")).isEqualTo("500");
    RecordedSpan refused = calls.get(4);
    assertThat(refused.attr("error.type")).isNotNull().isNotEqualTo("500");
    assertThat(refused.attr("http.response.status_code")).isNull();
    for (RecordedSpan c : List.of(first, basic, failed, refused)) {
      assertThat(c.attr("code.function.name")).isEqualTo("com.example.apache.Hc5AsyncCalls.shape");
    }
  }

  @Test
  void theWaitOnAFutureACallbackCompletedIsLinkedToTheCalls() {
    for (RecordedSpan page : pages("shape")) {
      List<RecordedSpan> calls = calls(page);
      RecordedSpan wait =
          rec.under(page, "block").stream()
              .filter(b -> "completable.get".equals(b.attr("reqflow.block.kind")))
              .findFirst()
              .orElseThrow();
      assertThat(wait.links).extracting(l -> l.spanId).contains(calls.get(1).spanId);
    }
  }
}
