package dev.reqflow.agent.it;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend on 127.0.0.1 that answers every GET with {@code 200 ok} (at once, or after a set
 * delay), over keep-alive connections, one thread per connection. Plain sockets because the JDK's
 * {@code HttpServer} is too slow for 100,000 calls in a test: it writes headers and body apart, and
 * Nagle's algorithm then waits for the delayed ACK of each response (40 ms).
 */
final class LoopbackBackend implements AutoCloseable {
  private static final byte[] OK =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
          .getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final AtomicLong served = new AtomicLong();
  private final long delayMs;

  /** The {@code traceparent} headers of the requests, when asked for; else null. */
  final java.util.Set<String> traceparents;

  LoopbackBackend() throws IOException {
    this(0);
  }

  /** A backend that answers each request {@code delayMs} after it read it. */
  LoopbackBackend(long delayMs) throws IOException {
    this(delayMs, false);
  }

  /** As above; with {@code traceparents}, keeps each request's {@code traceparent} header. */
  LoopbackBackend(long delayMs, boolean traceparents) throws IOException {
    this.delayMs = delayMs;
    this.traceparents = traceparents ? java.util.concurrent.ConcurrentHashMap.newKeySet() : null;
    server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "loopback-backend");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Base URL, ending in {@code /}. */
  String url() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/";
  }

  long served() {
    return served.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        Thread t = new Thread(() -> serve(s), "loopback-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  /** Answers each request once its header block (GETs have no body) has been read. */
  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      int last4 = 0;
      StringBuilder head = traceparents == null ? null : new StringBuilder();
      for (int c = in.read(); c >= 0; c = in.read()) {
        last4 = (last4 << 8) | c;
        if (head != null) {
          head.append((char) c);
        }
        if (last4 == 0x0d0a0d0a) {
          if (head != null) {
            for (String line : head.toString().split("\r\n")) {
              if (line.regionMatches(true, 0, "traceparent:", 0, 12)) {
                traceparents.add(line.substring(12).trim());
              }
            }
            head.setLength(0);
          }
          if (delayMs > 0) {
            Thread.sleep(delayMs);
          }
          out.write(OK);
          out.flush();
          served.incrementAndGet();
          last4 = 0;
        }
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
}
