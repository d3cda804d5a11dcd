package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * Spring's {@code RestClient} on {@code HttpComponentsClientHttpRequestFactory} (spring-web 7,
 * Apache HttpClient 5.x): one call per request, from the application's line, not Spring's. {@code
 * RestTemplate} on that factory reaches HttpClient through the same {@code
 * HttpComponentsClientHttpRequest}; its own frames are skipped for the call site as LayersIT and
 * UrlConnectionIT check on the other factories.
 */
class SpringRestClientIT extends PooledClientChecks {
  @Override
  String client() {
    return "restclient";
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
    return 3;
  }

  @Override
  void checkShape(List<RecordedSpan> calls) {
    assertThat(calls.get(0).attr("http.response.status_code")).isEqualTo("200");
    assertThat(calls.get(1).attr("error.type")).isEqualTo("500");
    assertThat(calls.get(2).attr("error.type"))
        .isEqualTo("org.apache.hc.client5.http.HttpHostConnectException");
    for (RecordedSpan c : calls) {
      // The program's line that called the layer: SpringCalls.get, from shape.
      assertThat(c.attr("code.function.name")).isEqualTo("com.example.apache.SpringCalls.get");
    }
  }
}
