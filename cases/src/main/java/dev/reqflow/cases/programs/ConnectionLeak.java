package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Calls whose responses are never closed: only the status is checked ({@code isSuccessful()}), so
 * OkHttp keeps each connection for its response and every later call opens a new one, handshake
 * included ("A connection to ... was leaked. Did you forget to close a response body?"). The page
 * and the one fixed have a client each, as two services would.
 */
public final class ConnectionLeak implements Case {
  private static final OkHttpClient LEAKING = Http.client();
  private static final OkHttpClient CLOSING = Http.client();

  @Override
  public String name() {
    return "connection-leak";
  }

  @Override
  public String pattern() {
    return "responses never closed, only their status checked (OkHttp execute)";
  }

  @Override
  public String expectedKind() {
    return "close-response-body";
  }

  @Override
  public String fix() {
    return "try-with-resources on each response";
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
      s.svc("user", 160), s.svc("cart", 220), s.svc("ads", 180), s.svc("deals", 260)
    };
  }
}
