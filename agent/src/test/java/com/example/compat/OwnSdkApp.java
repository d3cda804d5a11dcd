package com.example.compat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An application with its own OpenTelemetry SDK, exporting OTLP through its own OkHttp, and its own
 * OkHttp listener; both are other versions than the agent's (the test puts them on the class path).
 * Inside its span {@code app-job}, {@link #render} (a flow by {@code flows=}) makes three calls,
 * one of them inside its span {@code app-child}. Usage: {@code OwnSdkApp <OTLP base URL>}.
 */
public final class OwnSdkApp {
  private OwnSdkApp() {}

  public static void main(String[] args) {
    try {
      run(args[0]);
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }

  static void run(String otlp) throws Exception {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().toBuilder()
                    .put(AttributeKey.stringKey("service.name"), "own-sdk-app")
                    .build())
            .addSpanProcessor(
                BatchSpanProcessor.builder(
                        OtlpHttpSpanExporter.builder().setEndpoint(otlp + "/v1/traces").build())
                    .build())
            .build();
    Tracer tracer = provider.get("com.example.compat", "1.0");
    AtomicInteger callsEnded = new AtomicInteger();
    OkHttpClient client =
        new OkHttpClient.Builder()
            .eventListener(
                new EventListener() {
                  @Override
                  public void callEnd(Call call) {
                    callsEnded.incrementAndGet();
                  }
                })
            .build();
    try (Backends backends = new Backends()) {
      Span job = tracer.spanBuilder("app-job").startSpan();
      String result;
      try (Scope ignored = job.makeCurrent()) {
        result = render(tracer, client, backends);
      } finally {
        job.end();
      }
      System.out.println(
          "app-job " + job.getSpanContext().getTraceId() + " " + job.getSpanContext().getSpanId());
      System.out.println("result " + result);
    }
    System.out.println("app listener calls ended " + callsEnded.get());
    CompletableResultCode shutdown = provider.shutdown().join(10, TimeUnit.SECONDS);
    System.out.println("app export " + shutdown.isSuccess());
  }

  static String render(Tracer tracer, OkHttpClient client, Backends backends) throws Exception {
    Span child = tracer.spanBuilder("app-child").startSpan();
    String a;
    try (Scope ignored = child.makeCurrent();
        Response r =
            client.newCall(new Request.Builder().url(backends.url("/b/a")).build()).execute()) {
      a = r.body().string();
    } finally {
      child.end();
    }
    CompletableFuture<String> b = new CompletableFuture<>();
    client
        .newCall(new Request.Builder().url(backends.url("/b/b")).build())
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                b.completeExceptionally(e);
              }

              @Override
              public void onResponse(Call call, Response response) throws IOException {
                try (Response r = response) {
                  b.complete(r.body().string());
                }
              }
            });
    String c =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(backends.url("/b/c"))).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return a + "," + b.join() + "," + c;
  }
}
