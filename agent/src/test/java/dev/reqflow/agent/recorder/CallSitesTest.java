package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.sites.App;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.AbstractClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;

class CallSitesTest {

  @AfterEach
  void noAppPackages() {
    CallSites.appPackages(List.of());
  }

  @Test
  void librariesBetweenTheAppAndItsClientAreSkipped() {
    assertThat(CallSites.isLibrary("org.springframework.web.client.RestTemplate")).isTrue();
    assertThat(CallSites.isLibrary("org.springframework.http.client.JdkClientHttpRequest"))
        .isTrue();
    assertThat(CallSites.isLibrary("retrofit2.OkHttpCall")).isTrue();
    assertThat(CallSites.isLibrary("feign.SynchronousMethodHandler")).isTrue();
    assertThat(CallSites.isLibrary("org.apache.hc.client5.http.impl.classic.InternalHttpClient"))
        .isTrue();
    assertThat(CallSites.isLibrary("reactor.core.publisher.Mono")).isTrue();
    assertThat(CallSites.isLibrary("jdk.proxy2.$Proxy12")).isTrue();
    assertThat(CallSites.isLibrary("com.example.Shop$$SpringCGLIB$$0")).isTrue();
    // A socket read of a driver or a client the agent does not record is the caller's.
    assertThat(CallSites.isLibrary("org.postgresql.core.VisibleBufferedInputStream")).isTrue();
    assertThat(CallSites.isLibrary("com.zaxxer.hikari.pool.HikariProxyPreparedStatement")).isTrue();
    assertThat(CallSites.isLibrary("com.squareup.okhttp.Call")).isTrue();
    assertThat(CallSites.isLibrary("com.example.shop.CatalogClient")).isFalse();
    assertThat(CallSites.isLibrary("dev.reqflow.sample.page.HomePage")).isFalse();
  }

  @Test
  void theFirstFrameOfTheApplicationIsTheSite() {
    // This test's own package is the agent's, a library to the heuristic; App is not.
    CodeSite f = App.call(CallSites::find);
    assertThat(f.getClassName()).isEqualTo(App.class.getName());
    assertThat(f.getMethodName()).isEqualTo("call");
  }

  @Test
  void aLockIsTheApplicationsWhenTheFirstFrameBelowTheJdkIsIts() {
    // The app's synchronized client method, and a semaphore it acquires through the JDK.
    assertThat(
            CallSites.takenByApplication(
                List.of("com.example.LockedClient", "com.example.Page", "java.lang.Thread")))
        .isTrue();
    assertThat(
            CallSites.takenByApplication(
                List.of(
                    "java.util.concurrent.locks.AbstractQueuedSynchronizer",
                    "java.util.concurrent.Semaphore",
                    "com.example.Page")))
        .isTrue();
    // OkHttp's connection, locked in its own code below the app's callback; the agent's own.
    assertThat(
            CallSites.takenByApplication(
                List.of(
                    "okhttp3.internal.connection.RealConnection",
                    "okhttp3.internal.http1.Http1ExchangeCodec",
                    "com.example.Page$1")))
        .isFalse();
    assertThat(CallSites.takenByApplication(List.of("dev.reqflow.agent.recorder.X"))).isFalse();
    // Nothing but the JDK: a thread of the JDK's own.
    assertThat(
            CallSites.takenByApplication(
                List.of("java.util.concurrent.ThreadPoolExecutor", "java.lang.Thread")))
        .isFalse();
  }

  @Test
  void aCallIssuedUnderSpringsClientHttpRequestWasAskedForSynchronously() {
    // Spring's JdkClientHttpRequest issues sendAsync inside execute() and waits there: the
    // application, which called execute() (through RestTemplate), asked synchronously.
    AtomicReference<CallSites.Site> seen = new AtomicReference<>();
    AbstractClientHttpRequest request =
        new AbstractClientHttpRequest() {
          @Override
          protected OutputStream getBodyInternal(HttpHeaders headers) {
            return OutputStream.nullOutputStream();
          }

          @Override
          protected ClientHttpResponse executeInternal(HttpHeaders headers) {
            seen.set(CallSites.findCall());
            return null;
          }

          @Override
          public HttpMethod getMethod() {
            return HttpMethod.GET;
          }

          @Override
          public URI getURI() {
            return URI.create("http://127.0.0.1/");
          }
        };
    App.call(
        () -> {
          try {
            return request.execute();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    assertThat(seen.get().synchronous()).isTrue();
    assertThat(seen.get().frame().getClassName()).isEqualTo(App.class.getName());

    // Issued by the application itself (sendAsync, enqueue): asynchronous, at the same site.
    CallSites.Site direct = App.call(CallSites::findCall);
    assertThat(direct.synchronous()).isFalse();
    assertThat(direct.frame().getClassName()).isEqualTo(App.class.getName());
  }

  @Test
  void appPackagesWinOverTheHeuristic() {
    // JUnit's frames are not libraries to the heuristic; named app packages pick past them.
    CallSites.appPackages(List.of("org.junit.platform.launcher"));
    assertThat(CallSites.find().getClassName()).startsWith("org.junit.platform.launcher.");
    // A package with no frame on the stack falls back to the heuristic.
    CallSites.appPackages(List.of("com.nowhere"));
    assertThat(App.call(CallSites::find).getClassName()).isEqualTo(App.class.getName());
  }
}
