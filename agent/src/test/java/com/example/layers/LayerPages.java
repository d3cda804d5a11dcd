package com.example.layers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ResponseBody;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.JettyClientHttpRequestFactory;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import retrofit2.Call;
import retrofit2.Callback;
import retrofit2.Response;
import retrofit2.Retrofit;
import retrofit2.http.GET;
import retrofit2.http.Path;
import retrofit2.http.Query;

/**
 * A page server whose pages call slow backends through the layers applications write on top of an
 * HTTP client: Spring's {@code RestTemplate} and {@code RestClient} on {@code
 * JdkClientHttpRequestFactory} (the JDK's {@code HttpClient}), {@code
 * ReactorClientHttpRequestFactory} (Reactor Netty) and {@code JettyClientHttpRequestFactory}
 * (Jetty's client, which the agent does not record), and Retrofit on OkHttp ({@code Call.execute},
 * {@code Call.enqueue}, its built-in {@code CompletableFuture} adapter). Each layer has a serial
 * page (three calls one after another, a pattern of many services) and its parallel variant (the
 * same three calls issued together), so that the report's suggestion for the first can be checked
 * against the second.
 *
 * <p>Usage: {@code LayerPages BACKEND page[*N]...}: {@code BACKEND} a base URL ending in {@code /}
 * answering {@code /NAME?ms=N} after N ms and {@code /status/500} with 500. Loads {@code
 * /page/NAME} N times (once without {@code *N}), one after another, with an {@code
 * HttpURLConnection} outside any flow, prints {@code NAME STATUS BODY (N ms)} for each (the time
 * this client saw), then exits. The clients of a layer are built only when one of its pages is
 * asked for: a run without Jetty pages never loads Jetty's client.
 */
public final class LayerPages {
  /** Backend latencies of the three calls the serial and parallel pages make, in this order. */
  static final String[] SECTIONS = {"user?ms=80", "cart?ms=160", "ads?ms=120"};

  static final String[] NAMES = {"user", "cart", "ads"};
  static final int[] MILLIS = {80, 160, 120};

  static String backend;
  static final ExecutorService THREE = Executors.newFixedThreadPool(3, daemons("three-worker"));

  static RestTemplate jdkTemplate;
  static RestClient jdkClient;
  static RestTemplate reactorTemplate;
  static RestClient reactorClient;
  static JettyClientHttpRequestFactory jettyFactory;
  static RestTemplate jettyTemplate;
  static Backend retrofit;

  /** The backend as a Retrofit interface: a {@code Call}, and a {@code CompletableFuture}. */
  interface Backend {
    @GET("{name}")
    Call<ResponseBody> get(@Path("name") String name, @Query("ms") int ms);

    @GET("{name}")
    CompletableFuture<ResponseBody> future(@Path("name") String name, @Query("ms") int ms);

    @GET("status/500")
    Call<ResponseBody> fail();
  }

  private LayerPages() {}

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
    HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    pages.setExecutor(Executors.newFixedThreadPool(2, daemons("page")));
    pages.createContext("/page/", LayerPages::page);
    pages.start();
    String base = "http://127.0.0.1:" + pages.getAddress().getPort() + "/page/";
    for (int i = 1; i < args.length; i++) {
      String[] spec = args[i].split("\\*");
      build(spec[0]);
      int times = spec.length > 1 ? Integer.parseInt(spec[1]) : 1;
      for (int n = 0; n < times; n++) {
        // Outside any flow: the agent must not record this call.
        long start = System.nanoTime();
        HttpURLConnection c = (HttpURLConnection) new URL(base + spec[0]).openConnection();
        int code = c.getResponseCode();
        try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
          String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          long ms = (System.nanoTime() - start) / 1_000_000;
          System.out.println(spec[0] + " " + code + " " + body + "(" + ms + " ms)");
        }
      }
    }
    pages.stop(0);
    if (jettyFactory != null) {
      jettyFactory.destroy();
    }
  }

  /** Builds the clients of the page's layer, once, before its first load. */
  static void build(String page) throws Exception {
    if (page.startsWith("jdk-") && jdkTemplate == null) {
      JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory();
      jdkTemplate = new RestTemplate(factory);
      jdkClient = RestClient.builder().requestFactory(factory).build();
    } else if (page.startsWith("reactor-") && reactorTemplate == null) {
      ReactorClientHttpRequestFactory factory = new ReactorClientHttpRequestFactory();
      reactorTemplate = new RestTemplate(factory);
      reactorClient = RestClient.builder().requestFactory(factory).build();
    } else if (page.startsWith("jetty-") && jettyTemplate == null) {
      jettyFactory = new JettyClientHttpRequestFactory();
      jettyFactory.afterPropertiesSet();
      jettyTemplate = new RestTemplate(jettyFactory);
    } else if (page.startsWith("retrofit-") && retrofit == null) {
      retrofit = new Retrofit.Builder().baseUrl(backend).build().create(Backend.class);
    }
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

  /** One GET of a backend URL through a layer. */
  interface Layer {
    String get(String url) throws Exception;
  }

  static String render(String name) throws Exception {
    switch (name) {
      case "jdk-resttemplate-serial":
        return serial(LayerPages::jdkRestTemplate);
      case "jdk-resttemplate-parallel":
        return parallel(LayerPages::jdkRestTemplate);
      case "jdk-restclient-serial":
        return serial(LayerPages::jdkRestClient);
      case "jdk-restclient-parallel":
        return parallel(LayerPages::jdkRestClient);
      case "jdk-500":
        return status500(LayerPages::jdkRestTemplate);
      case "reactor-resttemplate-serial":
        return serial(LayerPages::reactorRestTemplate);
      case "reactor-resttemplate-parallel":
        return parallel(LayerPages::reactorRestTemplate);
      case "reactor-restclient-serial":
        return serial(LayerPages::reactorRestClient);
      case "reactor-restclient-parallel":
        return parallel(LayerPages::reactorRestClient);
      case "reactor-500":
        return status500(LayerPages::reactorRestTemplate);
      case "jetty-resttemplate-serial":
        return serial(LayerPages::jettyRestTemplate);
      case "jetty-resttemplate-parallel":
        return parallel(LayerPages::jettyRestTemplate);
      case "retrofit-execute-serial":
        return retrofitExecuteSerial();
      case "retrofit-execute-parallel":
        return retrofitExecuteParallel();
      case "retrofit-enqueue-serial":
        return retrofitEnqueueSerial();
      case "retrofit-enqueue-parallel":
        return retrofitEnqueueParallel();
      case "retrofit-future-serial":
        return retrofitFutureSerial();
      case "retrofit-future-parallel":
        return retrofitFutureParallel();
      case "retrofit-500":
        return retrofit500();
      default:
        throw new IllegalArgumentException(name);
    }
  }

  static String jdkRestTemplate(String url) {
    return jdkTemplate.getForObject(url, String.class);
  }

  static String jdkRestClient(String url) {
    return jdkClient.get().uri(url).retrieve().body(String.class);
  }

  static String reactorRestTemplate(String url) {
    return reactorTemplate.getForObject(url, String.class);
  }

  static String reactorRestClient(String url) {
    return reactorClient.get().uri(url).retrieve().body(String.class);
  }

  static String jettyRestTemplate(String url) {
    return jettyTemplate.getForObject(url, String.class);
  }

  /** The three calls one after another: the page takes the sum of their latencies. */
  static String serial(Layer layer) throws Exception {
    StringBuilder b = new StringBuilder();
    for (String s : SECTIONS) {
      b.append(layer.get(backend + s)).append(' ');
    }
    return b.toString();
  }

  /** The three calls issued together on three workers: the page takes the slowest. */
  static String parallel(Layer layer) throws Exception {
    List<Future<String>> fs = new ArrayList<>();
    for (String s : SECTIONS) {
      fs.add(THREE.submit(() -> layer.get(backend + s)));
    }
    StringBuilder b = new StringBuilder();
    for (Future<String> f : fs) {
      b.append(f.get()).append(' ');
    }
    return b.toString();
  }

  static String status500(Layer layer) throws Exception {
    try {
      return layer.get(backend + "status/500");
    } catch (HttpServerErrorException e) {
      return "saw " + e.getStatusCode().value();
    }
  }

  static String retrofitExecute(String name, int ms) throws IOException {
    Response<ResponseBody> r = retrofit.get(name, ms).execute();
    return r.body().string();
  }

  static String retrofitExecuteSerial() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < NAMES.length; i++) {
      b.append(retrofitExecute(NAMES[i], MILLIS[i])).append(' ');
    }
    return b.toString();
  }

  static String retrofitExecuteParallel() throws Exception {
    List<Future<String>> fs = new ArrayList<>();
    for (int i = 0; i < NAMES.length; i++) {
      String name = NAMES[i];
      int ms = MILLIS[i];
      fs.add(THREE.submit(() -> retrofitExecute(name, ms)));
    }
    StringBuilder b = new StringBuilder();
    for (Future<String> f : fs) {
      b.append(f.get()).append(' ');
    }
    return b.toString();
  }

  /** Enqueues one call; its future completes in Retrofit's callback with the body. */
  static CompletableFuture<String> retrofitEnqueue(String name, int ms) {
    CompletableFuture<String> body = new CompletableFuture<>();
    retrofit
        .get(name, ms)
        .enqueue(
            new Callback<ResponseBody>() {
              @Override
              public void onResponse(Call<ResponseBody> call, Response<ResponseBody> response) {
                try {
                  body.complete(response.body().string());
                } catch (IOException e) {
                  body.completeExceptionally(e);
                }
              }

              @Override
              public void onFailure(Call<ResponseBody> call, Throwable t) {
                body.completeExceptionally(t);
              }
            });
    return body;
  }

  static String retrofitEnqueueSerial() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < NAMES.length; i++) {
      b.append(retrofitEnqueue(NAMES[i], MILLIS[i]).get()).append(' ');
    }
    return b.toString();
  }

  static String retrofitEnqueueParallel() throws Exception {
    List<CompletableFuture<String>> fs = new ArrayList<>();
    for (int i = 0; i < NAMES.length; i++) {
      fs.add(retrofitEnqueue(NAMES[i], MILLIS[i]));
    }
    StringBuilder b = new StringBuilder();
    for (CompletableFuture<String> f : fs) {
      b.append(f.get()).append(' ');
    }
    return b.toString();
  }

  static CompletableFuture<ResponseBody> retrofitFuture(String name, int ms) {
    return retrofit.future(name, ms);
  }

  static String retrofitFutureSerial() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < NAMES.length; i++) {
      b.append(retrofitFuture(NAMES[i], MILLIS[i]).join().string()).append(' ');
    }
    return b.toString();
  }

  static String retrofitFutureParallel() throws Exception {
    List<CompletableFuture<ResponseBody>> fs = new ArrayList<>();
    for (int i = 0; i < NAMES.length; i++) {
      fs.add(retrofitFuture(NAMES[i], MILLIS[i]));
    }
    StringBuilder b = new StringBuilder();
    for (CompletableFuture<ResponseBody> f : fs) {
      b.append(f.join().string()).append(' ');
    }
    return b.toString();
  }

  static String retrofit500() throws IOException {
    Response<ResponseBody> r = retrofit.fail().execute();
    try (ResponseBody error = r.errorBody()) {
      return "saw " + r.code() + " " + error.string();
    }
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
