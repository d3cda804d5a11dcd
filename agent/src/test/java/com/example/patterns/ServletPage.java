package com.example.patterns;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** A servlet whose page makes two calls, served by a container that calls {@code service}. */
final class ServletPage extends HttpServlet {
  String body;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) {
    body = Patterns.sendAsync("user").join().body() + Patterns.sendAsync("cart").join().body();
  }

  /** What a container would do for {@code GET /servlet/home?x=1}. */
  static String serveOnce() throws Exception {
    ServletPage servlet = new ServletPage();
    HttpServletRequest req =
        new HttpServletRequest() {
          @Override
          public String getMethod() {
            return "GET";
          }

          @Override
          public String getRequestURI() {
            return "/servlet/home";
          }

          @Override
          public String getQueryString() {
            return "x=1";
          }

          @Override
          public String getHeader(String name) {
            return null;
          }
        };
    HttpServletResponse res = () -> 201;
    servlet.service((jakarta.servlet.ServletRequest) req, res);
    return servlet.body;
  }
}
