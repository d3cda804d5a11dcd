package com.example.apache;

import java.io.IOException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/** Apache HttpClient 5.x classic: {@code HttpClients.createDefault()}, 5 per route, 25 in all. */
final class Hc5Calls extends Calls {
  private final CloseableHttpClient client;

  Hc5Calls(boolean wide) {
    client =
        wide
            ? HttpClients.custom()
                .setConnectionManager(
                    PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(Pages.ROUTE_CALLS)
                        .setMaxConnTotal(2 * Pages.ROUTE_CALLS)
                        .build())
                .build()
            : HttpClients.createDefault();
  }

  @Override
  String get(String url) throws IOException {
    return client.execute(new HttpGet(url), r -> EntityUtils.toString(r.getEntity()));
  }

  @Override
  @SuppressWarnings("deprecation")
  String shape(String backend, String refused) throws Exception {
    StringBuilder sb = new StringBuilder();
    // The response forms: the call lasts until the body is read, or the response closed.
    try (ClassicHttpResponse r = client.executeOpen(null, new HttpGet(backend + "open"), null)) {
      sb.append(EntityUtils.toString(r.getEntity()));
    }
    CloseableHttpResponse unread = client.execute(new HttpGet(backend + "unread"));
    unread.close();
    int status = client.execute(new HttpGet(backend + "status/500"), r -> r.getCode());
    sb.append(' ').append(status);
    try {
      client.execute(new HttpGet(refused), r -> r.getCode());
    } catch (IOException e) {
      sb.append(" refused");
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
