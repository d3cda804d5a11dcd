package com.example.patterns;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;

/** A servlet whose page makes two calls, served by a container that calls {@code service}. */
final class ServletPage extends HttpServlet {
  private static final long serialVersionUID = 1L;

  String body;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) {
    body = Patterns.sendAsync("user").join().body() + Patterns.sendAsync("cart").join().body();
  }

  /** What a container would do for {@code GET /servlet/home?x=1}. */
  static String serveOnce() throws Exception {
    ServletPage servlet = new ServletPage();
    ServletRequest req =
        ServletApi.implement(
            HttpServletRequest.class,
            Map.of("getMethod", "GET", "getRequestURI", "/servlet/home", "getQueryString", "x=1"));
    ServletResponse res = ServletApi.implement(HttpServletResponse.class, Map.of("getStatus", 201));
    servlet.service(req, res);
    return servlet.body;
  }
}
