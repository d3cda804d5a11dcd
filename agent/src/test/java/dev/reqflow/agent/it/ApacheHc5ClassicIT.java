package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Apache HttpClient 5.x classic ({@code org.apache.httpcomponents.client5:httpclient5}). */
class ApacheHc5ClassicIT extends PooledClientChecks {
  @Override
  String client() {
    return "hc5";
  }

  @Override
  String clientAttribute() {
    return "apache-httpclient5";
  }

  @Override
  String mode() {
    return "sync";
  }

  @Override
  String manager() {
    return "PoolingHttpClientConnectionManager";
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
    return "apache.execute";
  }

  @Override
  int shapeCalls() {
    return 4;
  }

  /** executeOpen read to its end, execute closed unread, a handler seeing 500, a refusal. */
  @Override
  void checkShape(List<RecordedSpan> calls) {
    RecordedSpan open = calls.get(0);
    assertThat(open.request()).isEqualTo("GET /open");
    assertThat(open.attr("http.response.status_code")).isEqualTo("200");
    assertThat(open.event("response.body_done")).isNotNull();
    RecordedSpan unread = calls.get(1);
    assertThat(unread.request()).isEqualTo("GET /unread");
    assertThat(unread.attr("error.type")).isNull();
    RecordedSpan failed = calls.get(2);
    assertThat(failed.attr("http.response.status_code")).isEqualTo("500");
    assertThat(failed.attr("error.type")).isEqualTo("500");
    RecordedSpan refused = calls.get(3);
    assertThat(refused.attr("error.type"))
        .isEqualTo("org.apache.hc.client5.http.HttpHostConnectException");
    assertThat(refused.attr("http.response.status_code")).isNull();
    for (RecordedSpan c : calls) {
      assertThat(c.attr("code.function.name")).isEqualTo("com.example.apache.Hc5Calls.shape");
    }
  }
}
