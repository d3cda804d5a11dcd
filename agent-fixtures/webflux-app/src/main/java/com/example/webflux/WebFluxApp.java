package com.example.webflux;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

/**
 * A Spring Boot WebFlux service on Reactor Netty whose pages are built from backend calls made with
 * {@code WebClient} ({@link PageController}). Usage: {@code java -jar webflux-app.jar
 * --backend=URL} (with {@code --server.port=0 --server.address=127.0.0.1} in the tests); prints
 * {@code pages: URL} once it listens.
 */
@SpringBootApplication
public class WebFluxApp {

  public static void main(String[] args) {
    SpringApplication.run(WebFluxApp.class, args);
  }

  /**
   * The backends' client. Its connections run on event loops of their own: with the server's
   * (Boot's default, shared) a wait on the server's event loop for a call whose connection that
   * same loop serves never ends, which is how this mistake first shows in production (a hang); with
   * loops of its own it "works", slowly, and that is the page measured here.
   */
  @Bean(destroyMethod = "dispose")
  LoopResources backendLoops() {
    return LoopResources.create("backend-client", 2, true);
  }

  @Bean
  WebClient backends(
      WebClient.Builder builder, LoopResources backendLoops, @Value("${backend}") String base) {
    HttpClient http = HttpClient.create().runOn(backendLoops);
    return builder.baseUrl(base).clientConnector(new ReactorClientHttpConnector(http)).build();
  }

  @Bean
  ApplicationListener<WebServerInitializedEvent> announce() {
    return e -> System.out.println("pages: http://127.0.0.1:" + e.getWebServer().getPort() + "/");
  }
}
