package com.example.webflux;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** The page, three backend calls, made the wrong way and the right way. */
@RestController
public class PageController {
  private final WebClient backends;

  public PageController(WebClient backends) {
    this.backends = backends;
  }

  /**
   * {@code variant=blocking}: waits on the event loop for each call in turn. {@code block()} is
   * what people write first, and Reactor refuses it on an event loop ("block()/blockFirst()/
   * blockLast() are blocking, which is not supported in thread reactor-http-epoll-2"), so the wait
   * that ships is {@code toFuture().join()}, which Reactor does not check. {@code
   * variant=composed}: the fix, the three calls composed and the page rendered when all are in.
   */
  @GetMapping("/page")
  public Mono<String> page(@RequestParam(defaultValue = "composed") String variant) {
    if ("blocking".equals(variant)) {
      String user = fetch("user").toFuture().join();
      String cart = fetch("cart").toFuture().join();
      String deals = fetch("deals").toFuture().join();
      return Mono.just(render(user, cart, deals));
    }
    return Mono.zip(fetch("user"), fetch("cart"), fetch("deals"))
        .map(t -> render(t.getT1(), t.getT2(), t.getT3()));
  }

  /** A real data dependency: the recommendations need the user the first call returns. */
  @GetMapping("/recommended")
  public Mono<String> recommended() {
    return fetch("user").flatMap(user -> fetch("recommendations?user=" + user));
  }

  private Mono<String> fetch(String resource) {
    return backends.get().uri("/" + resource).retrieve().bodyToMono(String.class);
  }

  private static String render(String user, String cart, String deals) {
    return "user=" + user + " cart=" + cart + " deals=" + deals + "\n";
  }
}
