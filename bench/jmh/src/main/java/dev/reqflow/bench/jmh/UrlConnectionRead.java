package dev.reqflow.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reading a response body through {@code java.net.HttpURLConnection} on a thread outside any flow,
 * as every service that uses it does for the calls the agent does not record. The agent weaves the
 * response stream's {@code read} methods; until the body's end they compare the count read with
 * zero and call nothing. The budget: no cost that JMH can tell from the read itself.
 *
 * <p>The body is endless (a loopback server writes zeros under a 1 TiB {@code Content-Length}), so
 * that no iteration reaches its end; each iteration reads from a connection of its own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UrlConnectionRead {

  private final byte[] buffer = new byte[512];
  private ServerSocket server;
  private HttpURLConnection connection;
  private InputStream body;

  @Setup(Level.Trial)
  public void startServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "endless-body");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @TearDown(Level.Trial)
  public void stopServer() throws IOException {
    server.close();
  }

  @Setup(Level.Iteration)
  public void open() throws IOException {
    connection =
        (HttpURLConnection)
            new URL("http://127.0.0.1:" + server.getLocalPort() + "/body").openConnection();
    if (connection.getResponseCode() != 200) {
      throw new IllegalStateException("endless body answered " + connection.getResponseCode());
    }
    body = connection.getInputStream();
  }

  @TearDown(Level.Iteration)
  public void close() {
    connection.disconnect();
  }

  /** One read of up to 512 bytes from the response stream. */
  @Benchmark
  public int read() throws IOException {
    return body.read(buffer, 0, buffer.length);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "endless-body-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      int last4 = 0;
      while (last4 != 0x0d0a0d0a) {
        int c = in.read();
        if (c < 0) {
          return;
        }
        last4 = (last4 << 8) | c;
      }
      OutputStream out = s.getOutputStream();
      out.write(
          "HTTP/1.1 200 OK\r\nContent-Length: 1099511627776\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      byte[] zeros = new byte[64 * 1024];
      while (true) {
        out.write(zeros);
      }
    } catch (IOException e) {
      // The client disconnected: the iteration is over.
    }
  }
}
