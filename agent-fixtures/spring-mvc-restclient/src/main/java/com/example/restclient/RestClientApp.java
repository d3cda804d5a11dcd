package com.example.restclient;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * An offers service: its page fans calls out to a backend through a {@code RestClient} on Apache
 * HttpClient 5. Run with {@code --backend.url=http://127.0.0.1:PORT/}; prints {@code listening:
 * URL} once Tomcat is up.
 */
@SpringBootApplication
public class RestClientApp {
  /** Calls one page makes to the backend: twice HttpClient 5's default limit per route. */
  static final int FAN_OUT = 10;

  public static void main(String[] args) {
    SpringApplication.run(RestClientApp.class, args);
  }

  /** {@code new HttpComponentsClientHttpRequestFactory()}: HttpClient 5's defaults, 5 per route. */
  @Bean
  @Qualifier("defaultPool")
  RestClient defaultPool() {
    return RestClient.builder()
        .requestFactory(new HttpComponentsClientHttpRequestFactory())
        .build();
  }

  /** The fix: a connection pool that allows every call of a page at once. */
  @Bean
  @Qualifier("widenedPool")
  RestClient widenedPool() {
    return RestClient.builder()
        .requestFactory(
            new HttpComponentsClientHttpRequestFactory(
                HttpClients.custom()
                    .setConnectionManager(
                        PoolingHttpClientConnectionManagerBuilder.create()
                            .setMaxConnPerRoute(FAN_OUT)
                            .setMaxConnTotal(2 * FAN_OUT)
                            .build())
                    .build()))
        .build();
  }

  /** Enough threads for every call of a page: the connection pool is what limits them. */
  @Bean(destroyMethod = "shutdown")
  ExecutorService fanOut() {
    return Executors.newFixedThreadPool(2 * FAN_OUT);
  }

  @Bean
  ApplicationListener<WebServerInitializedEvent> announce() {
    return e ->
        System.out.println("listening: http://127.0.0.1:" + e.getWebServer().getPort() + "/");
  }
}
