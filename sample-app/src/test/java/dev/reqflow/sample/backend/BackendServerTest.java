package dev.reqflow.sample.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendServerTest {
  private static final BackendSettings QUICK =
      BackendSettings.defaults().withScale(0).withConnectMs(0);

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersEachBackendWithJson() throws Exception {
    try (BackendServer backends = BackendServer.start(0, QUICK)) {
      URI base = backends.baseUri();

      assertThat(get(base, "user?session=s-77").body()).contains("\"id\":\"u-77\"");
      assertThat(get(base, "recommendations?userId=u-77").body()).contains("\"userId\":\"u-77\"");
      assertThat(get(base, "product?id=3").body()).contains("\"id\":\"p-3\"", "Ceramic dripper");
      assertThat(get(base, "ads/auction").body()).contains("\"winner\"");
      assertThat(get(base, "delay?ms=5").body()).isEqualTo("{\"delayedMs\":5}");
      HttpResponse<String> deals = get(base, "deals");
      assertThat(deals.statusCode()).isEqualTo(200);
      assertThat(deals.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    }
  }

  @Test
  void rejectsMissingParametersAndUnknownPaths() throws Exception {
    try (BackendServer backends = BackendServer.start(0, QUICK)) {
      assertThat(get(backends.baseUri(), "user").statusCode()).isEqualTo(400);
      assertThat(get(backends.baseUri(), "recommendations").statusCode()).isEqualTo(400);
      assertThat(get(backends.baseUri(), "delay?ms=-1").statusCode()).isEqualTo(400);
      assertThat(get(backends.baseUri(), "weather").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aFailingBackendAnswers503() throws Exception {
    try (BackendServer backends = BackendServer.start(0, QUICK.withFailing(Backend.CART))) {
      assertThat(get(backends.baseUri(), "cart").statusCode()).isEqualTo(503);
      assertThat(get(backends.baseUri(), "deals").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void answersAfterTheConfiguredLatency() throws Exception {
    BackendSettings settings = QUICK.withLatency(Backend.REVIEWS, Latency.fixed(200));
    try (BackendServer backends = BackendServer.start(0, settings)) {
      get(backends.baseUri(), "deals");

      long start = System.nanoTime();
      get(backends.baseUri(), "reviews");
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(200);
    }
  }

  @Test
  void onlyTheFirstResponseOnAConnectionPaysTheHandshake() throws Exception {
    try (BackendServer backends = BackendServer.start(0, QUICK.withConnectMs(300))) {
      long first = timed(client, backends.baseUri());
      long reused = timed(client, backends.baseUri());
      HttpClient another = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      long newConnection = timed(another, backends.baseUri());

      assertThat(first).isGreaterThanOrEqualTo(300);
      assertThat(reused).isLessThan(200);
      assertThat(newConnection).isGreaterThanOrEqualTo(300);
    }
  }

  private static long timed(HttpClient client, URI base) throws Exception {
    long start = System.nanoTime();
    client.send(
        HttpRequest.newBuilder(base.resolve("delay?ms=0")).build(),
        HttpResponse.BodyHandlers.discarding());
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void aHeavyTailRepeatsForTheSameSeed() {
    Latency first = Latency.heavyTail(90, 1500, 0.1, 42);
    Latency second = Latency.heavyTail(90, 1500, 0.1, 42);
    List<Long> a = new ArrayList<>();
    List<Long> b = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      a.add(first.nextMillis());
      b.add(second.nextMillis());
    }

    assertThat(a).isEqualTo(b).contains(90L, 1500L).containsOnly(90L, 1500L);
  }

  @Test
  void scalingMultipliesEveryLatency() {
    BackendSettings half = BackendSettings.defaults().withScale(0.5);

    assertThat(half.latency(Backend.RECOMMENDATIONS).nextMillis()).isEqualTo(125);
    assertThat(half.connectMs()).isEqualTo(BackendSettings.DEFAULT_CONNECT_MS);
  }
}
