package com.example.apache;

import java.io.IOException;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/** Apache HttpClient 4.5: {@code HttpClients.createDefault()}, 2 per route, 20 in all. */
final class Hc4Calls extends Calls {
  private final CloseableHttpClient client;

  Hc4Calls(boolean wide) {
    client =
        wide
            ? HttpClients.custom()
                .setMaxConnPerRoute(Pages.ROUTE_CALLS)
                .setMaxConnTotal(2 * Pages.ROUTE_CALLS)
                .build()
            : HttpClients.createDefault();
  }

  @Override
  String get(String url) throws IOException {
    return client.execute(new HttpGet(url), r -> EntityUtils.toString(r.getEntity()));
  }

  @Override
  String shape(String backend, String refused) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (CloseableHttpResponse r = client.execute(new HttpGet(backend + "open"))) {
      sb.append(EntityUtils.toString(r.getEntity()));
    }
    CloseableHttpResponse unread = client.execute(new HttpGet(backend + "unread"));
    unread.close();
    int status =
        client.execute(new HttpGet(backend + "status/500"), r -> r.getStatusLine().getStatusCode());
    sb.append(' ').append(status);
    try {
      client.execute(new HttpGet(refused), r -> r.getStatusLine().getStatusCode());
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
