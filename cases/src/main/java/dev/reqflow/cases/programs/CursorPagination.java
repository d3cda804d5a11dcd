package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import okhttp3.OkHttpClient;

/**
 * A feed read page by page with the cursor each page returns: every call needs the one before, so
 * there is nothing to issue together. The page is already right; the analysis must say so, and why.
 */
public final class CursorPagination implements Case {
  private static final OkHttpClient CLIENT = new OkHttpClient();

  @Override
  public String name() {
    return "cursor-pagination";
  }

  @Override
  public String pattern() {
    return "a feed read with the cursor each page returns (a real chain)";
  }

  @Override
  public String expectedKind() {
    return "";
  }

  @Override
  public String fix() {
    return "nothing: the same page";
  }

  @Override
  public void bad(Services s) throws Exception {
    String cursor = "start";
    for (int page = 0; page < 4; page++) {
      cursor = Services.next(Http.get(CLIENT, s.svc("feed", 200, "cursor=" + cursor)));
    }
  }

  @Override
  public void fixed(Services s) throws Exception {
    bad(s);
  }
}
