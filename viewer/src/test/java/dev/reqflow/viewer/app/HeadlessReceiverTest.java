package dev.reqflow.viewer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.otlp.Flows;
import dev.reqflow.viewer.bench.SyntheticTraces;
import dev.reqflow.viewer.flows.FlowStore;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --headless} over real HTTP: what it prints, and that flows received live get exactly the
 * suggestions the report gives the same spans read from a file.
 */
class HeadlessReceiverTest {
  @Test
  void liveFlowsGetTheReportsSuggestionsAndTheSummaryIsPrinted(@TempDir Path dir) throws Exception {
    SyntheticTraces t = new SyntheticTraces(11);
    List<List<Span>> pages = new ArrayList<>();
    List<Span> all = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      // A heavy tail on every third page's ads call: a timeout only the other flows show.
      pages.add(t.homePage(i % 3 == 2 ? 2_000 : 150));
      all.addAll(pages.get(i));
    }
    Path file = dir.resolve("pages.pb");
    try (OutputStream out = Files.newOutputStream(file)) {
      SyntheticTraces.request("shop", all).writeTo(out);
    }
    // What `reqflow report pages.pb` analyses.
    Map<String, List<Suggestion>> report = new HashMap<>();
    for (FlowReport r : Analysis.analyse(Flows.read(file).flows()).flows()) {
      report.put(FlowStore.key(r.flow()), r.suggestions());
    }

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    Options o = Options.parse("--headless", "--port", "0");
    List<FlowReport> live;
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);
        HeadlessReceiver h = HeadlessReceiver.start(o, out, err)) {
      HttpClient http = HttpClient.newHttpClient();
      // The agent installed in the background (install=background): said before any flow.
      long jvmStart = all.get(0).getStartTimeUnixNano() - 60_000_000_000L;
      Span install =
          Span.newBuilder()
              .setTraceId(
                  com.google.protobuf.ByteString.copyFrom(
                      new byte[] {1, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}))
              .setSpanId(
                  com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
              .setName("reqflow install")
              .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
              .setStartTimeUnixNano(jvmStart)
              .setEndTimeUnixNano(jvmStart + 812_000_000L)
              .addAttributes(
                  io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                      .setKey(dev.reqflow.contract.TraceContract.Attr.SPAN_TYPE)
                      .setValue(
                          io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                              .setStringValue(dev.reqflow.contract.TraceContract.SpanType.INSTALL)))
              .build();
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://" + h.address() + "/v1/traces"))
                          .header("Content-Type", "application/x-protobuf")
                          .POST(
                              HttpRequest.BodyPublishers.ofByteArray(
                                  SyntheticTraces.request("shop", List.of(install)).toByteArray()))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
      List<List<Span>> arrival = new ArrayList<>(pages);
      Collections.shuffle(arrival, new Random(5));
      for (List<Span> page : arrival) {
        // As an exporter sends them: the calls first, the flow span (which ends last) after.
        for (List<Span> part : List.of(page.subList(1, page.size()), page.subList(0, 1))) {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://" + h.address() + "/v1/traces"))
                      .header("Content-Type", "application/x-protobuf")
                      .POST(
                          HttpRequest.BodyPublishers.ofByteArray(
                              SyntheticTraces.request("shop", part).toByteArray()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).isEqualTo(200);
        }
      }
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (h.reports().size() < pages.size() || h.printed() == 0) {
        assertThat(System.nanoTime()).as("flows received and printed").isLessThan(deadline);
        h.awaitPrinted(h.printed() + 1, 2_000);
      }
      live = h.reports();
    }
    assertThat(live).hasSize(report.size());
    int withSuggestions = 0;
    for (FlowReport r : live) {
      assertThat(r.suggestions())
          .as(FlowStore.key(r.flow()))
          .isEqualTo(report.get(FlowStore.key(r.flow())));
      withSuggestions += r.suggestions().isEmpty() ? 0 : 1;
    }
    assertThat(withSuggestions).isPositive();
    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("reqflow report: 12 flows of 1 endpoint, received over OTLP")
        .contains("What to change first")
        .contains(
            "shop: the agent finished installing 812 ms after the JVM started"
                + " (install=background): requests before then were not recorded");
    // Said before the suggestions, as `reqflow report` says a file's.
    assertThat(text.indexOf("(install=background)")).isLessThan(text.indexOf("What to change"));
    assertThat(errors.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
