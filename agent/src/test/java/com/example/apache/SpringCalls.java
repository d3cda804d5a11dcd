package com.example.apache;

import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

/**
 * Spring's {@code RestClient} or {@code RestTemplate} on {@code
 * HttpComponentsClientHttpRequestFactory}: Apache HttpClient 5.x underneath, its pool 5 per route.
 */
final class SpringCalls extends Calls {
  private final HttpComponentsClientHttpRequestFactory factory;
  private final RestClient rest;
  private final RestTemplate template;

  SpringCalls(boolean wide, boolean restTemplate) {
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
    rest = restTemplate ? null : RestClient.builder().requestFactory(factory).build();
    template = restTemplate ? new RestTemplate(factory) : null;
  }

  @Override
  String get(String url) {
    if (template != null) {
      return template.getForObject(url, String.class);
    }
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
