package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Apache HttpClient 4.5 classic ({@code org.apache.httpcomponents:httpclient}). */
class ApacheHc4IT extends PooledClientChecks {
  @Override
  String client() {
    return "hc4";
  }

  @Override
  String clientAttribute() {
    return "apache-httpclient4";
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
    return 2;
  }

  @Override
  int total() {
    return 20;
  }

  @Override
  int routeCalls() {
    return 8;
  }

  @Override
  String serialBlockKind() {
    return "apache.execute";
  }

  @Override
  int shapeCalls() {
    return 4;
  }

  @Override
  void checkShape(List<RecordedSpan> calls) {
    RecordedSpan open = calls.get(0);
    assertThat(open.request()).isEqualTo("GET /open");
    assertThat(open.attr("http.response.status_code")).isEqualTo("200");
    assertThat(open.event("response.body_done")).isNotNull();
    assertThat(calls.get(1).request()).isEqualTo("GET /unread");
    RecordedSpan failed = calls.get(2);
    assertThat(failed.attr("http.response.status_code")).isEqualTo("500");
    assertThat(failed.attr("error.type")).isEqualTo("500");
    assertThat(calls.get(3).attr("error.type"))
        .isEqualTo("org.apache.http.conn.HttpHostConnectException");
    for (RecordedSpan c : calls) {
      assertThat(c.attr("code.function.name")).isEqualTo("com.example.apache.Hc4Calls.shape");
    }
  }
}
