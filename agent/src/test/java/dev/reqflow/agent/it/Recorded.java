package dev.reqflow.agent.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Everything one forked run wrote to its {@code file=}: resources and spans. */
final class Recorded {
  final List<Map<String, Object>> resources = new ArrayList<>();
  final List<RecordedSpan> spans = new ArrayList<>();
  final String stderr;
  final String stdout;

  /** The file the agent wrote ({@code file=}), for readers other than this class. */
  final Path file;

  Recorded(Path file, String stderr) throws IOException {
    this(file, stderr, "");
  }

  @SuppressWarnings("unchecked")
  Recorded(Path file, String stderr, String stdout) throws IOException {
    this.stderr = stderr;
    this.stdout = stdout;
    this.file = file;
    if (!Files.exists(file)) {
      return;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, Object> req = (Map<String, Object>) Json.parse(line);
      for (Object rs : (List<Object>) req.get("resourceSpans")) {
        Map<String, Object> r = (Map<String, Object>) rs;
        resources.add(
            RecordedSpan.attributes(
                (List<Object>) ((Map<String, Object>) r.get("resource")).get("attributes")));
        for (Object ss : (List<Object>) r.get("scopeSpans")) {
          for (Object s : (List<Object>) ((Map<String, Object>) ss).get("spans")) {
            spans.add(new RecordedSpan((Map<String, Object>) s));
          }
        }
      }
    }
  }

  /** Flow spans with this name, in start order. */
  List<RecordedSpan> flows(String name) {
    return spans.stream()
        .filter(s -> "flow".equals(s.type()) && s.name.equals(name))
        .sorted(Comparator.comparingLong(s -> s.start))
        .collect(Collectors.toList());
  }

  /** The one flow whose {@code url.query} names this strategy. */
  RecordedSpan page(String strategy) {
    List<RecordedSpan> f =
        spans.stream()
            .filter(s -> "flow".equals(s.type()))
            .filter(s -> String.valueOf(s.attr("url.query")).contains("strategy="))
            .collect(Collectors.toList());
    List<RecordedSpan> matching = new ArrayList<>();
    for (RecordedSpan s : f) {
      if (strategyOf(s).equals(strategy)) {
        matching.add(s);
      }
    }
    if (matching.size() != 1) {
      throw new AssertionError(
          "expected one page flow for " + strategy + ", got " + matching + "\n" + stderr);
    }
    return matching.get(0);
  }

  private String strategyOf(RecordedSpan flow) {
    // The query value is redacted; the test program names its pages /home/<strategy>.
    String path = flow.attr("url.path");
    return path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
  }

  /** Spans of a type below a flow (through their parents), in start order. */
  List<RecordedSpan> under(RecordedSpan flow, String type) {
    return spans.stream()
        .filter(s -> type.equals(s.type()) && isBelow(s, flow))
        .sorted(Comparator.comparingLong(s -> s.start))
        .collect(Collectors.toList());
  }

  /**
   * Block spans below a flow but the body reads ({@code body.read}): the waits in clients' methods
   * and on futures. A read of a small body already received is a body read only when the machine
   * delays it past the block threshold, so tests that count waits leave them out.
   */
  List<RecordedSpan> waits(RecordedSpan flow) {
    return under(flow, "block").stream()
        .filter(b -> !"body.read".equals(b.attr("reqflow.block.kind")))
        .collect(Collectors.toList());
  }

  private boolean isBelow(RecordedSpan s, RecordedSpan flow) {
    RecordedSpan cur = s;
    for (int depth = 0; cur != null && depth < 20; depth++) {
      if (cur.parentSpanId.equals(flow.spanId)) {
        return true;
      }
      cur = byId(cur.parentSpanId);
      if (cur != null && "flow".equals(cur.type())) {
        // Another flow on the way up: a backend in this process that continued the trace below
        // one of the page's calls (its agent got the call's traceparent). Its spans are its own.
        return false;
      }
    }
    return false;
  }

  RecordedSpan byId(String spanId) {
    return spans.stream().filter(s -> s.spanId.equals(spanId)).findFirst().orElse(null);
  }
}
