package dev.reqflow.sample.strategy;

import dev.reqflow.sample.page.PageRequest;
import dev.reqflow.sample.page.PageStrategy;
import dev.reqflow.sample.page.Section;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * Every section is enqueued through OkHttp (default dispatcher: 5 calls per host), recommendations
 * first. Each other section's callback marks the products also recommended, and gets the
 * recommendations with a {@code join()} inside the callback, on a dispatcher thread.
 *
 * <p>Why that costs time: OkHttp counts a call against its host's limit until its callback returns.
 * The five calls first dispatched finish, then their callbacks wait for the recommendations while
 * still holding all five slots, so the sixth call (deals) cannot start until the recommendations
 * are in: the page costs recommendations + deals instead of the slowest call. The same thing stalls
 * an event loop (Tornado) when a handler blocks. The fix is to combine the futures ({@code
 * thenCombine}) instead of waiting in the callback: {@code &combine=true} does that (to compare
 * with what an analysis predicts).
 *
 * <p>The recommendations are enqueued first, so they are always dispatched before the calls whose
 * callbacks wait for them: the wait cannot deadlock, even with many pages at once.
 */
final class BlockingCallback implements PageStrategy {
  static final String NAME = "blocking-callback";

  private final BackendUrls backends;
  private final OkHttpClient client = OkHttpCalls.sharedClient("blocking-callback-dispatcher");

  BlockingCallback(BackendUrls backends) {
    this.backends = backends;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "callbacks join() the recommendations on OkHttp dispatcher threads, holding the host's"
        + " slots so the last call queues (like blocking the event loop); &combine=true is the fix";
  }

  @Override
  public List<Section> issue(PageRequest request) {
    boolean combine = request.query().booleanValue("combine", false);
    Map<HomeSection, CompletableFuture<String>> bodies = new EnumMap<>(HomeSection.class);
    CompletableFuture<String> recommendations =
        OkHttpCalls.enqueue(client, HomeSection.RECOMMENDATIONS.url(backends, request));
    bodies.put(HomeSection.RECOMMENDATIONS, recommendations);
    for (HomeSection section : HomeSection.values()) {
      if (section == HomeSection.RECOMMENDATIONS) {
        continue;
      }
      String url = section.url(backends, request);
      if (combine) {
        bodies.put(
            section,
            OkHttpCalls.enqueue(client, url)
                .thenCombine(recommendations, MarkingRecommended::markRecommended));
      } else {
        CompletableFuture<String> body = new CompletableFuture<>();
        OkHttpCalls.enqueue(client, url, new MarkingRecommended(url, recommendations, body));
        bodies.put(section, body);
      }
    }
    return Sections.joining(bodies);
  }

  @Override
  public void close() {
    OkHttpCalls.close(client);
  }

  /** Completes a section with its data and the products in it that are also recommended. */
  private static final class MarkingRecommended implements Callback {
    private final String url;
    private final CompletableFuture<String> recommendations;
    private final CompletableFuture<String> body;

    MarkingRecommended(
        String url, CompletableFuture<String> recommendations, CompletableFuture<String> body) {
      this.url = url;
      this.recommendations = recommendations;
      this.body = body;
    }

    @Override
    public void onResponse(Call call, Response response) {
      try (response) {
        String data = OkHttpCalls.bodyOf(url, response);
        // The blocking wait on a dispatcher thread (see the class comment).
        String recommended = recommendations.join();
        body.complete(markRecommended(data, recommended));
      } catch (CompletionException recommendationsFailed) {
        body.completeExceptionally(recommendationsFailed.getCause());
      } catch (IOException | RuntimeException e) {
        body.completeExceptionally(e);
      }
    }

    @Override
    public void onFailure(Call call, IOException e) {
      body.completeExceptionally(e);
    }

    static String markRecommended(String data, String recommendations) {
      List<String> recommended = Json.productIds(recommendations);
      String alsoRecommended =
          Json.productIds(data).stream()
              .filter(recommended::contains)
              .distinct()
              .map(id -> "\"" + id + "\"")
              .collect(Collectors.joining(","));
      return "{\"alsoRecommended\":[" + alsoRecommended + "],\"data\":" + data + "}";
    }
  }
}
