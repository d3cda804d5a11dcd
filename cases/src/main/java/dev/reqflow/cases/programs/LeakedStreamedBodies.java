package dev.reqflow.cases.programs;

import dev.reqflow.cases.BlindCost;
import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@link ConnectionLeak} on services that stream their answers: the headers come at once, the body
 * 40 ms later. The page never closes its responses (only {@code isSuccessful()} is checked), so it
 * never waits for a body, but every call opens a connection. Closing them reuses one connection,
 * and costs the rest of each body: OkHttp's {@code Response.close()} reads what is left of an
 * unread body so that the connection can go back to the pool.
 */
public final class LeakedStreamedBodies implements Case {
  private static final OkHttpClient LEAKING = Http.client();
  private static final OkHttpClient CLOSING = Http.client();

  @Override
  public String name() {
    return "leaked-streamed-bodies";
  }

  @Override
  public String pattern() {
    return "responses never closed, bodies streamed after the headers (OkHttp execute)";
  }

  @Override
  public String expectedKind() {
    return "close-response-body";
  }

  @Override
  public BlindCost blindInBad() {
    return new BlindCost(
        "the rest of each body that close() reads (40 ms each): the bad page never reads a body,"
            + " and no other call of these requests does, so the bad recording never shows one",
        "The prediction leaves out reading the rest of",
        true);
  }

  @Override
  public String fix() {
    return "try-with-resources on each response (close reads the rest of the body)";
  }

  @Override
  public void bad(Services s) throws Exception {
    for (String url : urls(s)) {
      Response r = LEAKING.newCall(new Request.Builder().url(url).build()).execute();
      if (!r.isSuccessful()) {
        throw new IOException(url + " answered " + r.code());
      }
    }
  }

  @Override
  public void fixed(Services s) throws Exception {
    for (String url : urls(s)) {
      try (Response r = CLOSING.newCall(new Request.Builder().url(url).build()).execute()) {
        if (!r.isSuccessful()) {
          throw new IOException(url + " answered " + r.code());
        }
      }
    }
  }

  private static String[] urls(Services s) {
    return new String[] {
      s.svc("stock", 120, "bodyMs=40"),
      s.svc("prices", 150, "bodyMs=40"),
      s.svc("promos", 100, "bodyMs=40"),
      s.svc("ratings", 130, "bodyMs=40")
    };
  }
}
