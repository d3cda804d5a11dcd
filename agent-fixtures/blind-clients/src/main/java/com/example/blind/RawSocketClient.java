package com.example.blind;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain {@code Socket}, one connection per call, as hand-written clients and many
 * drivers do: the agent sees no call, only the socket's connect and reads. Counts the time this
 * thread spent blocked in them.
 */
final class RawSocketClient {
  private long blockedNanos;

  /** Time blocked in connects and reads since the last call of this method. */
  long takeBlockedNanos() {
    long b = blockedNanos;
    blockedNanos = 0;
    return b;
  }

  String get(int port, String path) throws IOException {
    try (Socket s = new Socket()) {
      long t0 = System.nanoTime();
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      blockedNanos += System.nanoTime() - t0;
      s.getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      StringBuilder response = new StringBuilder();
      byte[] buf = new byte[4096];
      while (true) {
        long r0 = System.nanoTime();
        int n = in.read(buf);
        blockedNanos += System.nanoTime() - r0;
        if (n < 0) {
          break;
        }
        response.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
      }
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }
}
