package dev.reqflow.agent.recorder;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;

/** How tests tell spans apart now that a call span is named by its HTTP method alone. */
final class Requests {
  private Requests() {}

  /**
   * A call span's method and path ({@code GET /offers}, from {@code http.request.method} and {@code
   * url.full}); any other span's name.
   */
  static String of(SpanData s) {
    String url = s.getAttributes().get(AttributeKey.stringKey("url.full"));
    String method = s.getAttributes().get(AttributeKey.stringKey("http.request.method"));
    if (url == null
        || method == null
        || s.getKind() != io.opentelemetry.api.trace.SpanKind.CLIENT) {
      return s.getName();
    }
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
    String path = start < 0 ? "/" : url.substring(start);
    int q = path.indexOf('?');
    return method + " " + (q < 0 ? path : path.substring(0, q));
  }
}
