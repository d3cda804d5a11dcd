package dev.reqflow.bench.overhead;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection to the page server, on a plain socket: the load driver shares
 * two cores with the server, so it must cost as little CPU per page as possible (no client library,
 * no allocation beyond the request bytes, bodies skipped unread).
 */
final class HttpConnection implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final byte[] skip = new byte[8192];
  private final StringBuilder line = new StringBuilder(128);

  HttpConnection(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(30_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
  }

  /** The request bytes of {@code GET path}, built once per page and reused. */
  static byte[] request(int port, String path) {
    return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Sends one request and reads the whole answer; returns its status code. */
  int get(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    String status = readLine();
    if (status == null || !status.startsWith("HTTP/1.1 ") || status.length() < 12) {
      throw new IOException("not an HTTP/1.1 answer: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    for (String header = readLine(); header != null && !header.isEmpty(); header = readLine()) {
      if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Long.parseLong(header.substring(15).trim());
      }
    }
    if (length < 0) {
      throw new IOException("the answer has no Content-Length");
    }
    while (length > 0) {
      int n = in.read(skip, 0, (int) Math.min(skip.length, length));
      if (n < 0) {
        throw new IOException("the connection closed inside a body");
      }
      length -= n;
    }
    return code;
  }

  private String readLine() throws IOException {
    line.setLength(0);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        return line.length() == 0 ? null : line.toString();
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
