package com.example.compat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 GET over a plain socket: a client that no agent instruments, so that a request carries a
 * {@code traceparent} exactly when the caller gives one.
 */
final class RawHttp {
  private RawHttp() {}

  /** Status code, a space, and the body. */
  static String get(String url, String traceparent) throws IOException {
    URI u = URI.create(url);
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      String req =
          "GET "
              + u.getRawPath()
              + " HTTP/1.1\r\nHost: "
              + u.getHost()
              + ":"
              + u.getPort()
              + "\r\nConnection: close\r\n"
              + (traceparent == null ? "" : "traceparent: " + traceparent + "\r\n")
              + "\r\n";
      OutputStream out = s.getOutputStream();
      out.write(req.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String resp = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int headersEnd = resp.indexOf("\r\n\r\n");
      String status = resp.substring(resp.indexOf(' ') + 1, resp.indexOf(' ') + 4);
      return status + " " + (headersEnd < 0 ? "" : resp.substring(headersEnd + 4));
    }
  }
}
