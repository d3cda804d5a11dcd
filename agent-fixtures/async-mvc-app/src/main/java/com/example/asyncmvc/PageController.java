package com.example.asyncmvc;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
  private final ExecutorService sharedTwo;
  private final ExecutorService sharedSix;

  public PageController(
      Backends backends,
      @Qualifier("twoWorkers") ExecutorService twoWorkers,
      @Qualifier("threeWorkers") ExecutorService threeWorkers,
      @Qualifier("sharedTwo") ExecutorService sharedTwo,
      @Qualifier("sharedSix") ExecutorService sharedSix) {
    this.backends = backends;
    this.twoWorkers = twoWorkers;
    this.threeWorkers = threeWorkers;
    this.sharedTwo = sharedTwo;
    this.sharedSix = sharedSix;
  }

  /**
   * Two calls fanned out on a pool that every request shares, the page waiting for both on the
   * request thread. Alone, a page fits in two workers; under concurrent requests, its calls queue
   * behind the other pages' ({@code pool=2}, the mistake), unless the pool is as large as their
   * peak ({@code pool=6}, for three pages at once).
   */
  @GetMapping("/shared")
  public String shared(@RequestParam(defaultValue = "2") int pool) throws Exception {
    ExecutorService shared = pool == 6 ? sharedSix : sharedTwo;
    Future<String> user = shared.submit(() -> backends.get("user"));
    Future<String> cart = shared.submit(() -> backends.get("cart"));
    return render(user.get(), cart.get(), "-");
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

  /**
   * A {@code Callable} that Spring runs on its task executor: two independent calls, one after the
   * other (the mistake), or with {@code together=true} both issued at once and then joined (the
   * fix).
   */
  @GetMapping("/callable")
  public Callable<String> callable(@RequestParam(defaultValue = "false") boolean together) {
    if (together) {
      return () -> {
        CompletableFuture<String> user = backends.getAsync("user");
        CompletableFuture<String> cart = backends.getAsync("cart");
        return render(user.join(), cart.join(), "-");
      };
    }
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
