package dev.reqflow.agent.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A slow backend on 127.0.0.1, in the test's JVM (no agent): {@code GET /NAME?ms=N} answers {@code
 * NAME} after N ms; {@code /status/500} answers 500; {@code /redirect?to=PATH} answers 302 to PATH;
 * a POST's body is echoed. {@code first=N} adds N ms to the first answer on each connection (the
 * handshake a remote host would cost, which loopback does not); {@code trickle=N&size=B} sends the
 * headers, then a body of B bytes in ten pieces over N ms. HTTP/1.1 keep-alive, one thread per
 * connection, each response in one write with {@code TCP_NODELAY}, so that no delayed ACK adds to
 * what a page measures. Plain or over TLS with a self-signed certificate for 127.0.0.1 ({@link
 * #selfSigned}).
 */
final class SlowBackend implements AutoCloseable {
  static final String STORE_PASSWORD = "changeit";

  /** The {@code traceparent} headers of every request any backend of the test JVM got. */
  static final java.util.Set<String> TRACEPARENTS =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final ServerSocket server;
  private final String scheme;
  private final AtomicInteger connections = new AtomicInteger();

  private SlowBackend(ServerSocket server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    Thread acceptor = new Thread(this::accept, "slow-backend-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static SlowBackend http() throws IOException {
    return new SlowBackend(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()), "http");
  }

  /** Over TLS, with the key in {@code keyStore} (a PKCS12 file from {@link #selfSigned}). */
  static SlowBackend https(Path keyStore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      ks.load(in, STORE_PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, STORE_PASSWORD.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return new SlowBackend(
        ctx.getServerSocketFactory().createServerSocket(0, 200, InetAddress.getLoopbackAddress()),
        "https");
  }

  /**
   * A PKCS12 key store (password {@link #STORE_PASSWORD}) with a self-signed certificate for the IP
   * address 127.0.0.1, made by the JDK's {@code keytool}; the client trusts it by loading the same
   * file as its trust store.
   */
  static Path selfSigned(Path dir) throws IOException, InterruptedException {
    Path store = dir.resolve("backend-" + ProcessHandle.current().pid() + ".p12");
    Files.deleteIfExists(store);
    Process p =
        new ProcessBuilder(
                List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair",
                    "-alias",
                    "backend",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=127.0.0.1",
                    "-ext",
                    "san=ip:127.0.0.1",
                    "-validity",
                    "2",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    store.toString(),
                    "-storepass",
                    STORE_PASSWORD,
                    "-keypass",
                    STORE_PASSWORD))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(store)) {
      throw new IOException("keytool could not make " + store + ": " + out);
    }
    return store;
  }

  /** Base URL, ending in {@code /}. */
  String url() {
    return scheme + "://127.0.0.1:" + server.getLocalPort() + "/";
  }

  /** Connections accepted so far. */
  int connections() {
    return connections.get();
  }

  /** A base URL where nothing listens: connecting to it is refused. */
  static String refusedUrl() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort() + "/";
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
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
      boolean first = true;
      for (String head = readHead(in); head != null; head = readHead(in)) {
        String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
        for (String line : head.split("\r\n")) {
          if (line.regionMatches(true, 0, "traceparent:", 0, 12)) {
            TRACEPARENTS.add(line.substring(12).trim());
          }
        }
        byte[] body = in.readNBytes(contentLength(head));
        // One sleep for both delays: each wake-up on a loaded machine may come late.
        long extraMs = first ? param(requestLine[1], "first") : 0;
        first = false;
        long trickleMs = param(requestLine[1], "trickle");
        if (trickleMs > 0) {
          trickle(out, requestLine[1], extraMs, trickleMs, (int) param(requestLine[1], "size"));
          continue;
        }
        out.write(answer(requestLine[0], requestLine[1], body, extraMs));
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // The client went away, or the test ended.
    }
  }

  /** The value of a numeric query parameter of {@code target}, 0 when absent. */
  private static long param(String target, String name) {
    int q = target.indexOf('?');
    if (q < 0) {
      return 0;
    }
    for (String kv : target.substring(q + 1).split("&")) {
      if (kv.startsWith(name + "=")) {
        return Long.parseLong(kv.substring(name.length() + 1));
      }
    }
    return 0;
  }

  /**
   * After {@code ms=} (and {@code extraMs}), the headers at once, then {@code size} bytes in ten
   * pieces over {@code ms}.
   */
  private static void trickle(OutputStream out, String target, long extraMs, long ms, int size)
      throws IOException, InterruptedException {
    long wait = param(target, "ms") + extraMs;
    if (wait > 0) {
      Thread.sleep(wait);
    }
    String head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + size + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    int each = size / 10;
    byte[] piece = new byte[size - 9 * each];
    java.util.Arrays.fill(piece, (byte) 'x');
    for (int i = 0; i < 10; i++) {
      Thread.sleep(ms / 10);
      out.write(piece, 0, i < 9 ? each : piece.length);
      out.flush();
    }
  }

  private static byte[] answer(String method, String target, byte[] body, long extraMs)
      throws InterruptedException {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q + 1);
    long ms = 0;
    String to = null;
    for (String kv : query.split("&")) {
      if (kv.startsWith("ms=")) {
        ms = Long.parseLong(kv.substring(3));
      } else if (kv.startsWith("to=")) {
        to = kv.substring(3);
      }
    }
    if (ms + extraMs > 0) {
      Thread.sleep(ms + extraMs);
    }
    if (path.equals("/status/500")) {
      return response("500 Internal Server Error", "", "boom");
    }
    if (path.equals("/redirect") && to != null) {
      return response("302 Found", "Location: " + to + "\r\n", "");
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    String text =
        method.equals("POST") ? name + "=" + new String(body, StandardCharsets.UTF_8) : name;
    return response("200 OK", "", text);
  }

  private static byte[] response(String status, String headers, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + "\r\nContent-Type: text/plain\r\nContent-Length: "
            + body.length
            + "\r\n"
            + headers
            + "\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  /** The request line and headers, up to the blank line; null at the end of the connection. */
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

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
