package com.example.reactive;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Reactor Netty without Spring, as the agent's tests run it: a server whose pages fan calls out
 * ({@code /fanout}) or chain one on another's response ({@code /chain}), loaded once each, then two
 * methods the tests name in {@code flows=}: {@link #waits} (each of Reactor's blocking waits on a
 * call) and {@link #pooled} (four calls through a pool of two connections). Usage: {@code
 * ReactorNettyProgram BACKEND_URL}; prints {@code done} at the end.
 */
public final class ReactorNettyProgram {
  private final HttpClient client;

  private ReactorNettyProgram(HttpClient client) {
    this.client = client;
  }

  public static void main(String[] args) throws Exception {
    HttpClient shared = HttpClient.create().baseUrl(args[0]);
    ReactorNettyProgram program = new ReactorNettyProgram(shared);
    DisposableServer server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                routes ->
                    routes
                        .get(
                            "/fanout",
                            (req, res) ->
                                res.sendString(
                                    Mono.zip(program.get("a"), program.get("b"), program.get("c"))
                                        .map(t -> t.getT1() + t.getT2() + t.getT3())))
                        .get(
                            "/chain",
                            (req, res) ->
                                res.sendString(
                                    program.get("a").flatMap(a -> program.get("b" + a)))))
            .bindNow();
    java.net.http.HttpClient loader = java.net.http.HttpClient.newHttpClient();
    for (String page : new String[] {"fanout", "chain"}) {
      HttpResponse<String> r =
          loader.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/" + page))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      System.out.println(page + " " + r.statusCode() + " " + r.body());
    }
    program.waits();
    ConnectionProvider two =
        ConnectionProvider.builder("two-connections")
            .maxConnections(2)
            .pendingAcquireMaxCount(8)
            .build();
    new ReactorNettyProgram(HttpClient.create(two).baseUrl(args[0])).pooled();
    server.disposeNow();
    two.disposeLater().block();
    System.out.println("done");
  }

  /** One call's body, built here (the call site the tests expect). */
  Mono<String> get(String path) {
    return client.get().uri("/" + path).responseContent().aggregate().asString();
  }

  /** Each of Reactor's blocking waits on a call of its own. */
  public void waits() throws Exception {
    String a = get("a").block();
    String b = Flux.from(get("b")).blockFirst();
    String c = Flux.from(get("c")).blockLast();
    String d = get("d").toFuture().get();
    System.out.println("waits " + a + b + c + d);
  }

  /** Four calls at once through a pool of two connections: two of them queue. */
  public void pooled() {
    String all =
        Mono.zip(get("p1"), get("p2"), get("p3"), get("p4"))
            .map(t -> t.getT1() + t.getT2() + t.getT3() + t.getT4())
            .block();
    System.out.println("pooled " + all);
  }
}
