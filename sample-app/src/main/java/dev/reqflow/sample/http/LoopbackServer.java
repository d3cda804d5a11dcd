package dev.reqflow.sample.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Creates JDK {@code HttpServer}s bound to 127.0.0.1, tuned to answer without added delay. */
public final class LoopbackServer {
  private LoopbackServer() {}

  /**
   * A server on 127.0.0.1 (port 0 picks a free one); the caller sets its executor and starts it.
   */
  public static HttpServer create(int port) throws IOException {
    // The JDK server writes a response's headers and body separately; without TCP_NODELAY,
    // Nagle's algorithm holds the body back until the client's delayed ACK of the headers,
    // adding about 40 ms to every response on a reused connection. Read once, when the first
    // server is made.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
  }
}
