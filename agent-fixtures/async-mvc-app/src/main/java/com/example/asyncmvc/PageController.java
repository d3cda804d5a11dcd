package com.example.asyncmvc;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Pages that answer asynchronously, the three ways Spring MVC offers: each request is one flow from
 * the first dispatch to the async response's completion.
 */
@RestController
public class PageController {
  private final Backends backends;
  private final ExecutorService twoWorkers;
  private final ExecutorService threeWorkers;

  public PageController(
      Backends backends,
      @Qualifier("twoWorkers") ExecutorService twoWorkers,
      @Qualifier("threeWorkers") ExecutorService threeWorkers) {
    this.backends = backends;
    this.twoWorkers = twoWorkers;
    this.threeWorkers = threeWorkers;
  }

  /**
   * The page's three calls fanned out on a pool, the response when all are in. With {@code
   * workers=2} the third call queues for a worker (the mistake); with 3 each has one.
   */
  @GetMapping("/page")
  public CompletableFuture<String> page(@RequestParam(defaultValue = "3") int workers) {
    ExecutorService pool = workers == 2 ? twoWorkers : threeWorkers;
    CompletableFuture<String> user =
        CompletableFuture.supplyAsync(() -> backends.get("user"), pool);
    CompletableFuture<String> cart =
        CompletableFuture.supplyAsync(() -> backends.get("cart"), pool);
    CompletableFuture<String> deals =
        CompletableFuture.supplyAsync(() -> backends.get("deals"), pool);
    return CompletableFuture.allOf(user, cart, deals)
        .thenApply(done -> render(user.join(), cart.join(), deals.join()));
  }

  /** A {@code Callable} that Spring runs on its task executor: two calls, one after the other. */
  @GetMapping("/callable")
  public Callable<String> callable() {
    return () -> render(backends.get("user"), backends.get("cart"), "-");
  }

  /** A {@code DeferredResult} set when an asynchronous call completes. */
  @GetMapping("/deferred")
  public DeferredResult<String> deferred() {
    DeferredResult<String> result = new DeferredResult<>();
    backends
        .getAsync("deals")
        .whenComplete(
            (body, error) -> {
              if (error != null) {
                result.setErrorResult(error);
              } else {
                result.setResult(render("-", "-", body));
              }
            });
    return result;
  }

  private static String render(String user, String cart, String deals) {
    return "user=" + user + " cart=" + cart + " deals=" + deals + "\n";
  }
}
