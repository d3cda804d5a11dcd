package com.example.apache;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A backend on 127.0.0.1 that answers every GET after a fixed latency, over keep-alive connections,
 * one thread per connection: {@code /status/500} with a 500, anything else with a 200 and the path
 * as its body, head and body in one write. Plain sockets rather than the JDK's {@code HttpServer},
 * which takes tens of milliseconds to read the next request of a connection it just answered, a
 * delay no real backend of this kind has.
 */
public final class SlowBackend implements AutoCloseable {
  private final ServerSocket server;
  private final long latencyMs;

  public SlowBackend(long latencyMs) throws IOException {
    this.latencyMs = latencyMs;
    server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "slow-backend");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Base URL, ending in {@code /}. */
  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/";
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        Thread t = new Thread(() -> serve(s), "slow-backend-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String path = head.split(" ", 3)[1];
        // For the test: the trace context each request carried (PooledClientChecks).
        String traceparent = "none";
        for (String line : head.split("\r\n")) {
          if (line.regionMatches(true, 0, "traceparent:", 0, 12)) {
            traceparent = line.substring(12).trim();
          }
        }
        System.out.println("backend-request " + path + " traceparent " + traceparent);
        Thread.sleep(latencyMs);
        boolean fail = path.equals("/status/500");
        byte[] body = path.getBytes(StandardCharsets.UTF_8);
        String status = fail ? "500 Internal Server Error" : "200 OK";
        byte[] headBytes =
            ("HTTP/1.1 "
                    + status
                    + "\r\nContent-Type: text/plain\r\nContent-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] response = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, response, 0, headBytes.length);
        System.arraycopy(body, 0, response, headBytes.length, body.length);
        out.write(response);
        out.flush();
      }
    } catch (IOException e) {
      // The client went away.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  /** A request's head (GETs have no body), or null at the end of the connection. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    for (int c = in.read(); c >= 0; c = in.read()) {
      head.write(c);
      last4 = (last4 << 8) | c;
      if (last4 == 0x0d0a0d0a) {
        return head.toString(StandardCharsets.US_ASCII);
      }
    }
    return null;
  }
}
