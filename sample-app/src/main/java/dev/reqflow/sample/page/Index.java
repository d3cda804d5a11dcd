package dev.reqflow.sample.page;

import java.util.Collection;

/** The index page: every strategy as a link, with its one-line description. */
final class Index {
  private Index() {}

  static String render(Collection<PageStrategy> strategies, String message) {
    StringBuilder html = new StringBuilder(2048);
    html.append(
            "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>reqflow sample app</title>"
                + "</head>\n<body>\n<h1>The home page, built ")
        .append(strategies.size())
        .append(" ways</h1>\n");
    if (!message.isEmpty()) {
      html.append("<p class=\"message\">").append(Html.escape(message)).append("</p>\n");
    }
    html.append("<ul>\n");
    for (PageStrategy strategy : strategies) {
      html.append("<li><a href=\"/home?strategy=")
          .append(Html.escape(strategy.name()))
          .append("\">")
          .append(Html.escape(strategy.name()))
          .append("</a>: ")
          .append(Html.escape(strategy.description()))
          .append("</li>\n");
    }
    return html.append("</ul>\n</body></html>\n").toString();
  }
}
