package com.example.startup;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A service that serves as soon as its {@code main} runs, as a test or a small service does: a JDK
 * {@code HttpServer} whose pages {@code /early} and {@code /late} each make one JDK {@code
 * HttpClient} call to the backend. {@code serve BACKEND}: prints {@code pages URL} and serves until
 * its standard input ends. {@code once BACKEND}: loads {@code /early} from itself at once, prints
 * {@code done}, and exits.
 */
public final class ServeAtOnce {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private ServeAtOnce() {}

  public static void main(String[] args) throws Exception {
    String backend = args[1];
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/early", ex -> page(ex, backend + "early"));
    server.createContext("/late", ex -> page(ex, backend + "late"));
    server.start();
    String pages = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    try {
      if (args[0].equals("once")) {
        get(pages + "early");
        System.out.println("done");
      } else {
        System.out.println("pages " + pages);
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
          // Serves until the test closes standard input.
        }
      }
    } finally {
      server.stop(0);
    }
  }

  private static void page(HttpExchange ex, String backendUrl) throws IOException {
    try {
      byte[] body = get(backendUrl).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.sendResponseHeaders(500, -1);
    } finally {
      ex.close();
    }
  }

  static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(url + ": HTTP " + r.statusCode());
    }
    return r.body();
  }
}
