package dev.reqflow.otlp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's background installs found in the input ({@code install} spans, written with {@code
 * install=background}): each says from when its process was recorded. Worded as the reader's first
 * warnings, so that every output (report, viewer) says that requests before then were not recorded
 * before it says anything else: {@code the agent finished installing 812 ms after the JVM started
 * (install=background): requests before then were not recorded}.
 */
final class InstallNotices {
  /** Install durations in milliseconds (JVM start to recording), by service, in input order. */
  private final Map<String, List<Long>> millisByService = new LinkedHashMap<>();

  private final Set<String> seen = new HashSet<>();

  /** Adds one install span; the same span read twice counts once. */
  void add(RawSpan s) {
    if (!seen.add(s.traceId + "/" + s.spanId)) {
      return;
    }
    long millis = Math.max(0, s.endNanos - s.startNanos) / 1_000_000;
    millisByService.computeIfAbsent(s.service, k -> new ArrayList<>()).add(millis);
  }

  /** One sentence per service, or none when no install ran in the background. */
  List<String> sentences() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<Long>> e : millisByService.entrySet()) {
      List<Long> millis = e.getValue();
      long min = millis.stream().mapToLong(Long::longValue).min().orElse(0);
      long max = millis.stream().mapToLong(Long::longValue).max().orElse(0);
      String who = e.getKey().isEmpty() ? "" : e.getKey() + ": ";
      String when =
          millis.size() == 1
              ? "the agent finished installing " + min + " ms after the JVM started"
              : "in "
                  + millis.size()
                  + " processes the agent finished installing "
                  + (min == max ? min + " ms" : min + " to " + max + " ms")
                  + " after the JVM started";
      out.add(
          who
              + when
              + " (install=background): requests before then were not recorded, so the flows"
              + " below may miss the process's first requests");
    }
    return out;
  }
}
