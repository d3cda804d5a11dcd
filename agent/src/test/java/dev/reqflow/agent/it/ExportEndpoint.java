package dev.reqflow.agent.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An OTLP endpoint on 127.0.0.1 that does not work, in one of the ways collectors fail. */
abstract class ExportEndpoint implements AutoCloseable {

  abstract String url();

  @Override
  public abstract void close() throws IOException;

  /** Nothing listens: every connection is refused. */
  static ExportEndpoint down() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    return new ExportEndpoint() {
      @Override
      String url() {
        return "http://127.0.0.1:" + port;
      }

      @Override
      public void close() {}
    };
  }

  /** Answers every export with 503 Service Unavailable. */
  static ExportEndpoint refusing() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(503, -1);
          ex.close();
        });
    server.start();
    return new ExportEndpoint() {
      @Override
      String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
      }

      @Override
      public void close() {
        server.stop(0);
      }
    };
  }

  /** Accepts connections and never reads from them nor answers. */
  static ExportEndpoint hanging() throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    List<Socket> held = new CopyOnWriteArrayList<>();
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  held.add(server.accept());
                } catch (IOException e) {
                  return;
                }
              }
            },
            "hanging-endpoint");
    acceptor.setDaemon(true);
    acceptor.start();
    return new ExportEndpoint() {
      @Override
      String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
      }

      @Override
      public void close() throws IOException {
        server.close();
        for (Socket s : held) {
          s.close();
        }
      }
    };
  }
}
