package dev.reqflow.sample.strategy;

import dev.reqflow.sample.page.PageRequest;
import dev.reqflow.sample.page.PageStrategy;
import dev.reqflow.sample.page.Section;
import dev.reqflow.sample.threads.NamedThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * A product grid: ten tiles from one product backend, all enqueued at once through OkHttp. Its
 * dispatcher runs at most 5 calls per host by default, so the second five queue until the first
 * five are done and the page costs two product latencies. {@code &perHost=N} uses a dispatcher
 * allowing N per host: with 10, one wave (the fix, to compare with what an analysis predicts).
 */
final class PerHostLimit implements PageStrategy {
  static final String NAME = "per-host-limit";
  static final int TILES = 10;
  static final int MAX_PER_HOST = 64;

  private final BackendUrls backends;
  private final OkHttpClient base = OkHttpCalls.sharedClient("per-host-dispatcher");

  /** One client per limit asked for, made once; they share the base client's connections. */
  private final Map<Integer, OkHttpClient> byLimit = new ConcurrentHashMap<>();

  PerHostLimit(BackendUrls backends) {
    this.backends = backends;
    byLimit.put(base.dispatcher().getMaxRequestsPerHost(), base);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "10 product tiles from one host through OkHttp's default dispatcher (5 per host):"
        + " the second five queue; &perHost=10 is the fix";
  }

  @Override
  public List<Section> issue(PageRequest request) {
    int perHost =
        request
            .query()
            .intValue("perHost", base.dispatcher().getMaxRequestsPerHost(), 1, MAX_PER_HOST);
    OkHttpClient client = byLimit.computeIfAbsent(perHost, this::clientAllowing);
    List<Section> tiles = new ArrayList<>();
    for (int id = 1; id <= TILES; id++) {
      CompletableFuture<String> body = OkHttpCalls.enqueue(client, backends.product(id));
      tiles.add(new Section("product-" + id, "Product " + id, body::get));
    }
    return tiles;
  }

  private OkHttpClient clientAllowing(int perHost) {
    Dispatcher dispatcher =
        new Dispatcher(NamedThreads.cached("per-host-" + perHost + "-dispatcher"));
    dispatcher.setMaxRequestsPerHost(perHost);
    return base.newBuilder().dispatcher(dispatcher).build();
  }

  @Override
  public void close() {
    byLimit.values().forEach(OkHttpCalls::close);
  }
}
