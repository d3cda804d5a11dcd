package dev.reqflow.agent.unseen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadedClientsTest {

  private static KnownClients catalog(String text) throws IOException {
    return KnownClients.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void onlyLoadedLibrariesThatAreNotRecordedAreListedOnceSorted() throws IOException {
    LoadedClients loaded =
        new LoadedClients(
            catalog(
                "# comment\n"
                    + "okhttp3.internal.connection.RealCall\tOkHttp 4/5\thttp\tyes\n"
                    + "org.eclipse.jetty.client.HttpClient\tJetty HttpClient\thttp\tno\n"
                    + "org.asynchttpclient.DefaultAsyncHttpClient\tAsyncHttpClient\thttp\tno\n"
                    + "io.helidon.webclient.api.WebClient\tHelidon WebClient\thttp\tno\n"
                    + "io.helidon.webclient.WebClient\tHelidon WebClient\thttp\tno\n"));
    assertThat(loaded.unrecorded()).isEmpty();
    loaded.classLoaded("okhttp3.internal.connection.RealCall");
    loaded.classLoaded("com.example.Unrelated");
    assertThat(loaded.unrecorded()).isEmpty();
    loaded.classLoaded("org.eclipse.jetty.client.HttpClient");
    loaded.classLoaded("org.asynchttpclient.DefaultAsyncHttpClient");
    loaded.classLoaded("org.eclipse.jetty.client.HttpClient");
    loaded.classLoaded("io.helidon.webclient.api.WebClient");
    loaded.classLoaded("io.helidon.webclient.WebClient");
    assertThat(loaded.unrecorded())
        .containsExactly("AsyncHttpClient", "Helidon WebClient", "Jetty HttpClient");
    // Read at every flow's end: the same list until a new library loads.
    assertThat(loaded.unrecorded()).isSameAs(loaded.unrecorded());
  }

  @Test
  void theShippedCatalogParsesAndKnowsTheClientsOfIssue10() {
    KnownClients shipped = KnownClients.load();
    assertThat(shipped.size()).isGreaterThan(20);
    assertThat(shipped.byClass("org.eclipse.jetty.client.transport.HttpRequest").name())
        .isEqualTo("Jetty HttpClient");
    assertThat(shipped.byClass("org.eclipse.jetty.client.transport.HttpRequest").recorded())
        .isFalse();
    assertThat(shipped.byClass("org.eclipse.jetty.client.HttpRequest").recorded()).isFalse();
    assertThat(shipped.byClass("org.asynchttpclient.DefaultAsyncHttpClient").recorded()).isFalse();
    assertThat(shipped.byClass("io.grpc.ManagedChannel").recorded()).isFalse();
    assertThat(shipped.byClass("com.squareup.okhttp.OkHttpClient").recorded()).isFalse();
    assertThat(shipped.byClass("okhttp3.internal.connection.RealCall").recorded()).isTrue();
    assertThat(shipped.byClass("jdk.internal.net.http.HttpClientImpl").recorded()).isTrue();
  }

  @Test
  void classesThatSpringLoadsToSeeWhetherAClientIsThereMarkNoUnrecordedLibrary() {
    // The names DefaultRestClientBuilder and DefaultWebClientBuilder (spring-web/-webflux 7.0)
    // pass to ClassUtils.isPresent, which loads the class: every RestClient.builder() or
    // WebClient.builder() loads them when their jars are on the class path, used or not.
    KnownClients shipped = KnownClients.load();
    for (String presence :
        List.of(
            "org.apache.hc.client5.http.classic.HttpClient",
            "org.eclipse.jetty.client.HttpClient",
            "reactor.netty.http.client.HttpClient",
            "java.net.http.HttpClient",
            "org.eclipse.jetty.reactive.client.ReactiveRequest",
            "org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient",
            "org.apache.hc.core5.reactive.ReactiveDataConsumer")) {
      KnownClients.Library marked = shipped.byClass(presence);
      assertThat(marked == null || marked.recorded()).as(presence).isTrue();
    }
  }

  @Test
  void aMalformedRowIsNamedByItsLine() {
    assertThatThrownBy(() -> catalog("# c\nx.Y\tY\thttp\tmaybe\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("known-clients.tsv:2");
    assertThatThrownBy(() -> catalog("x.Y\tY\thttp\tno\nx.Y\tZ\thttp\tno\n"))
        .hasMessageContaining("listed twice");
  }
}
