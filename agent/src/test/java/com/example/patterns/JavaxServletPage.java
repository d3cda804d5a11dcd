package com.example.patterns;

import java.util.Map;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** {@link ServletPage} for the {@code javax.servlet} API, as older containers have. */
final class JavaxServletPage extends HttpServlet {
  private static final long serialVersionUID = 1L;

  String body;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) {
    body = Patterns.sendAsync("user").join().body() + Patterns.sendAsync("cart").join().body();
  }

  /** What a container would do for {@code GET /servlet/javax?x=1}. */
  static String serveOnce() throws Exception {
    JavaxServletPage servlet = new JavaxServletPage();
    ServletRequest req =
        ServletApi.implement(
            HttpServletRequest.class,
            Map.of("getMethod", "GET", "getRequestURI", "/servlet/javax", "getQueryString", "x=1"));
    ServletResponse res = ServletApi.implement(HttpServletResponse.class, Map.of("getStatus", 202));
    servlet.service(req, res);
    return servlet.body;
  }
}
