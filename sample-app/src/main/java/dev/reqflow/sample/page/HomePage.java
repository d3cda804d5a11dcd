package dev.reqflow.sample.page;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Phase two of the page: renders the sections in order on the calling thread (the page server's
 * request thread), waiting for each one's data only if it is not there yet. A section whose backend
 * failed renders an error message; the page is still served.
 */
final class HomePage {
  private HomePage() {}

  static String render(String strategy, List<Section> sections) {
    StringBuilder html = new StringBuilder(2048);
    html.append("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Home (")
        .append(Html.escape(strategy))
        .append(")</title></head>\n<body>\n<h1>Home</h1>\n<p class=\"strategy\">strategy: ")
        .append(Html.escape(strategy))
        .append("</p>\n");
    for (Section section : sections) {
      renderSection(html, section);
    }
    return html.append("</body></html>\n").toString();
  }

  private static void renderSection(StringBuilder html, Section section) {
    html.append("<section id=\"").append(Html.escape(section.id())).append("\"");
    String data;
    try {
      data = section.data().await();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      html.append(" class=\"error\"><h2>")
          .append(Html.escape(section.title()))
          .append("</h2>\n<p class=\"error\">unavailable: ")
          .append(Html.escape(reason(e)))
          .append("</p></section>\n");
      return;
    }
    html.append("><h2>")
        .append(Html.escape(section.title()))
        .append("</h2>\n<pre>")
        .append(Html.escape(data))
        .append("</pre></section>\n");
  }

  private static String reason(Throwable e) {
    Throwable cause = e;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }
}
