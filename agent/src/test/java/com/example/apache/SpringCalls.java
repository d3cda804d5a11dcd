package com.example.apache;

import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Spring's {@code RestClient} on {@code HttpComponentsClientHttpRequestFactory}: Apache HttpClient
 * 5.x underneath, its pool 5 per route. ({@code RestTemplate} on that factory reaches HttpClient
 * through the same request class, {@code HttpComponentsClientHttpRequest}.)
 */
final class SpringCalls extends Calls {
  private final HttpComponentsClientHttpRequestFactory factory;
  private final RestClient rest;

  SpringCalls(boolean wide) {
    factory =
        wide
            ? new HttpComponentsClientHttpRequestFactory(
                HttpClients.custom()
                    .setConnectionManager(
                        PoolingHttpClientConnectionManagerBuilder.create()
                            .setMaxConnPerRoute(Pages.ROUTE_CALLS)
                            .setMaxConnTotal(2 * Pages.ROUTE_CALLS)
                            .build())
                    .build())
            : new HttpComponentsClientHttpRequestFactory();
    rest = RestClient.builder().requestFactory(factory).build();
  }

  @Override
  String get(String url) {
    return rest.get().uri(url).retrieve().body(String.class);
  }

  @Override
  String shape(String backend, String refused) {
    StringBuilder sb = new StringBuilder(get(backend + "one"));
    try {
      get(backend + "status/500");
    } catch (RestClientException e) {
      sb.append(" 500");
    }
    try {
      get(refused);
    } catch (RestClientException e) {
      sb.append(" refused");
    }
    return sb.toString();
  }

  @Override
  public void close() throws Exception {
    factory.destroy();
  }
}
