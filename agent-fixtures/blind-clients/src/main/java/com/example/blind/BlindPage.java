package com.example.blind;

import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.asynchttpclient.AsyncHttpClient;
import org.asynchttpclient.Dsl;
import org.eclipse.jetty.client.HttpClient;

/**
 * A page that makes three calls one after another to a slow server on 127.0.0.1 through a client
 * the agent does not record, and prints how long it waited on them, as the program itself measured:
 *
 * <pre>
 * java -javaagent:reqflow-agent.jar=flows=com.example.blind.BlindPage#page,... \
 *     -cp classes:lib/* com.example.blind.BlindPage MODE PAGES DELAY_MS
 * </pre>
 *
 * MODE: {@code socket} (a raw {@code Socket}), {@code jetty} (Jetty HttpClient 12 {@code GET}),
 * {@code ahc} (AsyncHttpClient 3 {@code execute().get()}), {@code mixed} (an OkHttp call, which the
 * agent records, then a raw socket call). Each page prints {@code page N waited-ms=W} (the calls
 * the agent cannot see) and, in {@code mixed}, {@code okhttp-ms=O}. One warm-up round runs first,
 * outside any flow, so that loading the clients' classes is not in the pages.
 */
public final class BlindPage {
  private final String mode;
  private final SlowBackend backend;
  private final int delayMs;
  private final RawSocketClient raw = new RawSocketClient();
  private HttpClient jetty;
  private AsyncHttpClient ahc;
  private OkHttpClient okhttp;
  private long okhttpNanos;

  private BlindPage(String mode, SlowBackend backend, int delayMs) {
    this.mode = mode;
    this.backend = backend;
    this.delayMs = delayMs;
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int pages = Integer.parseInt(args[1]);
    int delayMs = Integer.parseInt(args[2]);
    try (SlowBackend backend = new SlowBackend()) {
      BlindPage p = new BlindPage(mode, backend, delayMs);
      p.open();
      try {
        p.calls();
        for (int i = 0; i < pages; i++) {
          long waited = p.page();
          System.out.println(
              "page "
                  + i
                  + " waited-ms="
                  + TimeUnit.NANOSECONDS.toMicros(waited) / 1000.0
                  + (mode.equals("mixed")
                      ? " okhttp-ms=" + TimeUnit.NANOSECONDS.toMicros(p.okhttpNanos) / 1000.0
                      : ""));
        }
      } finally {
        p.close();
      }
    }
  }

  private void open() throws Exception {
    switch (mode) {
      case "jetty":
        jetty = new HttpClient();
        jetty.start();
        break;
      case "ahc":
        ahc = Dsl.asyncHttpClient();
        break;
      case "mixed":
        okhttp = new OkHttpClient();
        break;
      case "socket":
        break;
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  private void close() throws Exception {
    if (jetty != null) {
      jetty.stop();
    }
    if (ahc != null) {
      ahc.close();
    }
    if (okhttp != null) {
      okhttp.dispatcher().executorService().shutdown();
      okhttp.connectionPool().evictAll();
    }
  }

  /** The flow: three calls; returns the time it waited on the ones the agent cannot see. */
  long page() throws Exception {
    return calls();
  }

  private long calls() throws Exception {
    long waited = 0;
    okhttpNanos = 0;
    raw.takeBlockedNanos();
    for (int i = 0; i < 3; i++) {
      String url = backend.url(delayMs);
      long t0 = System.nanoTime();
      switch (mode) {
        case "jetty":
          expect(jetty.GET(url).getContentAsString());
          waited += System.nanoTime() - t0;
          break;
        case "ahc":
          expect(ahc.prepareGet(url).execute().get().getResponseBody());
          waited += System.nanoTime() - t0;
          break;
        case "socket":
          expect(raw.get(backend.port(), "/delay/" + delayMs));
          waited += raw.takeBlockedNanos();
          break;
        default:
          try (Response r = okhttp.newCall(new Request.Builder().url(url).build()).execute()) {
            expect(r.body().string());
          }
          okhttpNanos += System.nanoTime() - t0;
          expect(raw.get(backend.port(), "/delay/" + delayMs));
          waited += raw.takeBlockedNanos();
          break;
      }
    }
    return waited;
  }

  private void expect(String body) {
    if (!body.equals("slept " + delayMs + " ms")) {
      throw new IllegalStateException("unexpected answer: " + body);
    }
  }
}
