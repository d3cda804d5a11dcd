package com.example.blind;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A backend on 127.0.0.1 that answers {@code GET /delay/N} after N milliseconds, over keep-alive
 * connections (one thread each), or closes after the answer when the request says {@code
 * Connection: close}.
 */
final class SlowBackend implements AutoCloseable {
  private final ServerSocket server;

  SlowBackend() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "slow-backend");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  String url(int delayMs) {
    return "http://127.0.0.1:" + port() + "/delay/" + delayMs;
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

  private static void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      StringBuilder head = new StringBuilder();
      for (int c = in.read(); c >= 0; c = in.read()) {
        head.append((char) c);
        if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
          String request = head.toString();
          head.setLength(0);
          String path = request.substring(request.indexOf(' ') + 1, request.indexOf(" HTTP/"));
          int delay = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
          Thread.sleep(delay);
          boolean close = request.toLowerCase().contains("connection: close");
          byte[] body = ("slept " + delay + " ms").getBytes(StandardCharsets.US_ASCII);
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                      + body.length
                      + (close ? "\r\nConnection: close" : "")
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.write(body);
          out.flush();
          if (close) {
            return;
          }
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // The client went away, or sent something else than a GET of /delay/N.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
