package com.example.urlconnection;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import feign.Feign;
import feign.FeignException;
import feign.Param;
import feign.RequestLine;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * A page server whose pages call slow backends through {@code java.net.HttpURLConnection}, directly
 * and through the layers built on it (Spring's {@code RestTemplate} with its default request
 * factory, {@code RestClient} on {@code SimpleClientHttpRequestFactory}, OpenFeign's default
 * client). The backends are the test's; this program's own work is all that is recorded.
 *
 * <p>Usage: {@code UrlConnectionPages BACKEND FRESH_BACKEND HTTPS_BACKEND TRUSTSTORE REFUSED
 * page[*N]...}: base URLs ending in {@code /}, {@code BACKEND} answering {@code /NAME?ms=N} after N
 * ms; {@code FRESH_BACKEND} a second one that only the {@code fresh} page calls; {@code TRUSTSTORE}
 * a PKCS12 file (password {@code changeit}) holding the https backend's certificate; {@code
 * REFUSED} where nothing listens. Loads {@code /page/NAME} N times (once without {@code *N}), one
 * after another, with an {@code HttpURLConnection} outside any flow, prints {@code NAME STATUS
 * BODY} for each, then exits.
 */
public final class UrlConnectionPages {
  /** Backend latencies of the three calls the serial and parallel pages make, in this order. */
  static final String[] SECTIONS = {"user?ms=80", "cart?ms=160", "ads?ms=120"};

  static String backend;
  static String freshBackend;
  static String httpsBackend;
  static String refused;
  static final ExecutorService THREE = Executors.newFixedThreadPool(3, daemons("three-worker"));
  static final ExecutorService ONE = Executors.newFixedThreadPool(1, daemons("one-worker"));
  static final RestTemplate REST_TEMPLATE = new RestTemplate();
  static RestClient restClient;
  static Backend feign;

  /** The backend as a Feign interface, on Feign's default client ({@code HttpURLConnection}). */
  interface Backend {
    @RequestLine("GET /{name}?ms={ms}")
    String get(@Param("name") String name, @Param("ms") int ms);

    @RequestLine("GET /status/500")
    String fail();
  }

  private UrlConnectionPages() {}

  public static void main(String[] args) {
    try {
      run(args);
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }

  static void run(String[] args) throws Exception {
    // Else the page server's headers and body wait on the client's delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    backend = args[0];
    freshBackend = args[1];
    httpsBackend = args[2];
    trust(args[3]);
    refused = args[4];
    restClient = RestClient.builder().requestFactory(new SimpleClientHttpRequestFactory()).build();
    feign = Feign.builder().target(Backend.class, backend.substring(0, backend.length() - 1));

    HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    pages.setExecutor(Executors.newFixedThreadPool(2, daemons("page")));
    pages.createContext("/page/", UrlConnectionPages::page);
    pages.start();
    String base = "http://127.0.0.1:" + pages.getAddress().getPort() + "/page/";
    for (int i = 5; i < args.length; i++) {
      String[] spec = args[i].split("\\*");
      int times = spec.length > 1 ? Integer.parseInt(spec[1]) : 1;
      for (int n = 0; n < times; n++) {
        // Outside any flow: the agent must not record this call.
        HttpURLConnection c = (HttpURLConnection) new URL(base + spec[0]).openConnection();
        int code = c.getResponseCode();
        try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
          System.out.println(
              spec[0] + " " + code + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    pages.stop(0);
  }

  static void page(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String name = path.substring(path.lastIndexOf('/') + 1);
    String result;
    int status = 200;
    try {
      result = render(name);
    } catch (Exception e) {
      result = "error " + e;
      status = 500;
    }
    byte[] body = result.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  static String render(String name) throws Exception {
    switch (name) {
      case "serial":
        return serial();
      case "parallel":
        return parallel(THREE);
      case "queued":
        return parallel(ONE);
      case "methods":
        return methods();
      case "fresh":
        return get(freshBackend + "first") + get(freshBackend + "second");
      case "refused":
        return refused();
      case "status-500":
        return status500();
      case "redirect":
        return get(backend + "redirect?to=/landed");
      case "https":
        return get(httpsBackend + "secure?ms=30") + get(httpsBackend + "again?ms=30");
      case "resttemplate-serial":
        return restTemplateSerial();
      case "resttemplate-parallel":
        return restTemplateParallel();
      case "resttemplate-500":
        return restTemplate500();
      case "restclient-serial":
        return restClientSerial();
      case "feign-serial":
        return feignSerial();
      case "feign-parallel":
        return feignParallel();
      case "feign-500":
        return feign500();
      default:
        throw new IllegalArgumentException(name);
    }
  }

  /** One GET as most code writes it: the status, then the whole body, then close. */
  static String get(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    int code = c.getResponseCode();
    try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
      return code + ":" + new String(in.readAllBytes(), StandardCharsets.UTF_8) + " ";
    }
  }

  static String serial() throws IOException {
    StringBuilder b = new StringBuilder();
    for (String s : SECTIONS) {
      b.append(get(backend + s));
    }
    return b.toString();
  }

  static String parallel(ExecutorService pool) throws Exception {
    List<Future<String>> fs = new ArrayList<>();
    for (String s : SECTIONS) {
      fs.add(pool.submit(() -> get(backend + s)));
    }
    StringBuilder b = new StringBuilder();
    for (Future<String> f : fs) {
      b.append(f.get());
    }
    return b.toString();
  }

  /**
   * Every way of touching one connection, each counted once: connect, status, headers, stream; a
   * POST through getOutputStream; a body read to its last byte and never closed.
   */
  static String methods() throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(backend + "many?ms=40").openConnection();
    c.connect();
    int code = c.getResponseCode();
    String type = c.getHeaderField("Content-Type");
    int length = c.getContentLength();
    String body;
    try (InputStream in = c.getInputStream()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    c.getResponseCode();

    HttpURLConnection post = (HttpURLConnection) new URL(backend + "posted?ms=40").openConnection();
    post.setDoOutput(true);
    byte[] payload = "hello".getBytes(StandardCharsets.UTF_8);
    post.setFixedLengthStreamingMode(payload.length);
    try (OutputStream out = post.getOutputStream()) {
      out.write(payload);
    }
    int posted = post.getResponseCode();
    String echoed;
    try (InputStream in = post.getInputStream()) {
      echoed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    HttpURLConnection exact = (HttpURLConnection) new URL(backend + "exact?ms=40").openConnection();
    int n = exact.getContentLength();
    // Exactly the announced bytes, and no close: the JDK itself finishes with the connection.
    byte[] bytes = exact.getInputStream().readNBytes(n);
    return code + type + length + body + posted + echoed + bytes.length;
  }

  static String refused() throws IOException {
    try {
      return get(refused + "nothing");
    } catch (ConnectException e) {
      return "refused";
    }
  }

  static String status500() throws IOException {
    return get(backend + "status/500");
  }

  static String restTemplateSerial() {
    StringBuilder b = new StringBuilder();
    for (String s : SECTIONS) {
      b.append(REST_TEMPLATE.getForObject(backend + s, String.class));
    }
    return b.toString();
  }

  static String restTemplateParallel() throws Exception {
    List<Future<String>> fs = new ArrayList<>();
    for (String s : SECTIONS) {
      fs.add(THREE.submit(() -> REST_TEMPLATE.getForObject(backend + s, String.class)));
    }
    StringBuilder b = new StringBuilder();
    for (Future<String> f : fs) {
      b.append(f.get());
    }
    return b.toString();
  }

  static String restTemplate500() {
    try {
      return REST_TEMPLATE.getForObject(backend + "status/500", String.class);
    } catch (HttpServerErrorException e) {
      return "rest template saw " + e.getStatusCode().value();
    }
  }

  static String restClientSerial() {
    StringBuilder b = new StringBuilder();
    for (String s : SECTIONS) {
      b.append(restClient.get().uri(backend + s).retrieve().body(String.class));
    }
    return b.toString();
  }

  static String feignSerial() {
    return feign.get("user", 80) + feign.get("cart", 160) + feign.get("ads", 120);
  }

  static String feignParallel() throws Exception {
    Future<String> user = THREE.submit(() -> feign.get("user", 80));
    Future<String> cart = THREE.submit(() -> feign.get("cart", 160));
    Future<String> ads = THREE.submit(() -> feign.get("ads", 120));
    return user.get() + cart.get() + ads.get();
  }

  static String feign500() {
    try {
      return feign.fail();
    } catch (FeignException e) {
      return "feign saw " + e.status();
    }
  }

  /** Trusts the test's self-signed backend certificate for every https connection. */
  static void trust(String trustStore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(trustStore)) {
      ks.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    HttpsURLConnection.setDefaultSSLSocketFactory(ctx.getSocketFactory());
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
