package com.example.apache;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;

/** Apache HttpClient 5.x async: {@code HttpAsyncClients.createDefault()}, 5 per route. */
final class Hc5AsyncCalls extends Calls {
  private final CloseableHttpAsyncClient client;

  Hc5AsyncCalls(boolean wide) {
    client =
        wide
            ? HttpAsyncClients.custom()
                .setConnectionManager(
                    PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(Pages.ROUTE_CALLS)
                        .setMaxConnTotal(2 * Pages.ROUTE_CALLS)
                        .build())
                .build()
            : HttpAsyncClients.createDefault();
    client.start();
  }

  /**
   * Requests of the serial page, built once per URL and sent again on every page, as applications
   * that keep a prepared request do: the client sends the application's own request object, so each
   * sending must carry its own call's trace context, not the one an earlier call left on it.
   */
  private final Map<String, SimpleHttpRequest> prepared = new ConcurrentHashMap<>();

  @Override
  String get(String url) throws Exception {
    SimpleHttpRequest request =
        prepared.computeIfAbsent(url, u -> SimpleRequestBuilder.get(u).build());
    return client.execute(request, null).get().getBodyText();
  }

  /** Issues every call, then waits for each future. */
  @Override
  List<String> all(List<String> urls) throws Exception {
    List<Future<SimpleHttpResponse>> futures = new ArrayList<>();
    for (String url : urls) {
      futures.add(client.execute(SimpleRequestBuilder.get(url).build(), null));
    }
    List<String> out = new ArrayList<>();
    for (Future<SimpleHttpResponse> f : futures) {
      out.add(f.get().getBodyText());
    }
    return out;
  }

  @Override
  String shape(String backend, String refused) throws Exception {
    // A call issued in the callback of another, whose result completes the page's future.
    CompletableFuture<String> done = new CompletableFuture<>();
    client.execute(
        SimpleRequestBuilder.get(backend + "first").build(),
        new FutureCallback<SimpleHttpResponse>() {
          @Override
          public void completed(SimpleHttpResponse first) {
            client.execute(SimpleRequestBuilder.get(backend + "second").build(), completing(done));
          }

          @Override
          public void failed(Exception ex) {
            done.completeExceptionally(ex);
          }

          @Override
          public void cancelled() {
            done.cancel(false);
          }
        });
    StringBuilder sb = new StringBuilder(done.get());
    // The producer/consumer form.
    Message<HttpResponse, String> m =
        client
            .execute(
                new BasicRequestProducer(Method.GET, URI.create(backend + "basic")),
                new BasicResponseConsumer<>(new StringAsyncEntityConsumer()),
                null)
            .get();
    sb.append(' ').append(m.getBody());
    sb.append(' ')
        .append(
            client
                .execute(SimpleRequestBuilder.get(backend + "status/500").build(), null)
                .get()
                .getCode());
    try {
      client.execute(SimpleRequestBuilder.get(refused).build(), null).get();
    } catch (ExecutionException e) {
      sb.append(" refused");
    }
    return sb.toString();
  }

  private static FutureCallback<SimpleHttpResponse> completing(CompletableFuture<String> done) {
    return new FutureCallback<SimpleHttpResponse>() {
      @Override
      public void completed(SimpleHttpResponse r) {
        done.complete(r.getBodyText());
      }

      @Override
      public void failed(Exception ex) {
        done.completeExceptionally(ex);
      }

      @Override
      public void cancelled() {
        done.cancel(false);
      }
    };
  }

  @Override
  public void close() throws Exception {
    client.close();
  }
}
