package dev.reqflow.viewer.suggestions;

import dev.reqflow.analysis.CriticalPath;
import dev.reqflow.analysis.Durations;
import dev.reqflow.analysis.Ranking;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.report.ChangeSites;
import dev.reqflow.viewer.timeline.TimeAxis;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Suggestions as the pane shows and copies them. Pure. */
public final class SuggestionText {
  private SuggestionText() {}

  /** As the report ranks them ({@link Ranking}: defects first, then best saving, ties by kind). */
  public static List<Suggestion> ranked(List<Suggestion> suggestions) {
    return Ranking.suggestions(suggestions);
  }

  /**
   * {@code saves 165 ms: 431 ms → 266 ms}: the saving, then the flow's duration as recorded and as
   * predicted with the change, in the report's words and units ({@link Durations#format}).
   */
  public static String savingLine(Flow flow, Suggestion s) {
    return "saves "
        + Durations.format(Math.max(0, s.savingNanos()))
        + ": "
        + Durations.format(flow.durationNanos())
        + " → "
        + Durations.format(Math.max(0, s.predictedNanos()));
  }

  /**
   * The title with where to change it, as the report's summary writes it: {@code Issue the calls
   * together, at HomePage.render(HomePage.java:32)}.
   */
  public static String titleAt(Flow flow, Suggestion s) {
    String where = where(flow, s);
    return where.isEmpty() ? s.title() : s.title() + ", at " + where;
  }

  /**
   * {@code text} with a line break inside each word wider than {@code width} pixels, where code
   * reads best cut: before a {@code (}, else after a {@code .}, {@code $}, {@code /}, {@code ?} or
   * {@code &} (a URL), else where the line is full. A label or a text area wraps at spaces only,
   * and cuts a longer word at whatever character reaches its edge ({@code JdkHttpCalls.java:4} then
   * {@code 5)}); a change site such as {@code
   * BlockingCallback$MarkingRecommended.onResponse(BlockingCallback.java:104)} is wider than the
   * suggestions list at 1024 px. Words are separated by spaces and line breaks; {@code text} itself
   * when {@code width} is not positive.
   *
   * @param measure width in pixels of a string in the label's font
   */
  public static String breakLongWords(
      String text, double width, java.util.function.ToDoubleFunction<String> measure) {
    if (width <= 0) {
      return text;
    }
    if (text.indexOf('\n') >= 0) {
      StringBuilder out = new StringBuilder(text.length() + 8);
      for (String line : text.split("\n", -1)) {
        out.append(breakLongWords(line, width, measure)).append('\n');
      }
      return out.substring(0, out.length() - 1);
    }
    StringBuilder out = new StringBuilder(text.length() + 8);
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf(' ', start);
      if (end < 0) {
        end = text.length();
      }
      String word = text.substring(start, end);
      while (measure.applyAsDouble(word) > width) {
        int cut = cutAt(word, width, measure);
        out.append(word, 0, cut).append('\n');
        word = word.substring(cut);
      }
      out.append(word);
      if (end < text.length()) {
        out.append(' ');
      }
      start = end + 1;
    }
    return out.toString();
  }

  /** Where to cut a word wider than {@code width}: its longest start that fits, cut as above. */
  private static int cutAt(
      String word, double width, java.util.function.ToDoubleFunction<String> m) {
    int fits = 1;
    while (fits < word.length() && m.applyAsDouble(word.substring(0, fits + 1)) <= width) {
      fits++;
    }
    for (int i = fits; i > 0; i--) {
      if (word.charAt(i) == '(') {
        return i;
      }
    }
    for (int i = fits; i > 0; i--) {
      char c = word.charAt(i - 1);
      if (c == '.' || c == '$' || c == '/' || c == '?' || c == '&') {
        return i;
      }
    }
    return fits;
  }

  /** Where to change it, as the report names it ({@link ChangeSites}); {@code ""} when unknown. */
  public static String where(Flow flow, Suggestion s) {
    return ChangeSites.of(flow, s);
  }

  /** A suggestion as Markdown, for an issue or a pull request. */
  public static String markdown(Flow flow, Suggestion s) {
    StringBuilder sb = new StringBuilder();
    sb.append("### ").append(s.title()).append("\n\n");
    sb.append("**")
        .append(flow.name().isEmpty() ? "flow" : flow.name())
        .append("**: ")
        .append(TimeAxis.duration(flow.durationNanos()))
        .append(" → predicted ")
        .append(TimeAxis.duration(Math.max(0, s.predictedNanos())))
        .append(" (saves ")
        .append(TimeAxis.duration(Math.max(0, s.savingNanos())))
        .append(")\n\n");
    sb.append(s.explanation()).append("\n\n");
    if (!s.spanIds().isEmpty()) {
      sb.append("Evidence:\n");
      for (String id : s.spanIds()) {
        Call c = flow.call(id);
        if (c != null) {
          sb.append("- `")
              .append(c.label())
              .append("` ")
              .append(TimeAxis.duration(c.durationNanos()))
              .append(", issued at ")
              .append(c.callSite().label())
              .append('\n');
          continue;
        }
        for (Block b : flow.blocks()) {
          if (b.spanId().equals(id)) {
            sb.append("- blocked ")
                .append(TimeAxis.duration(b.durationNanos()))
                .append(" at ")
                .append(b.site().label())
                .append('\n');
          }
        }
      }
    }
    sb.append("\n_Kind: `")
        .append(s.kind().id())
        .append("`, trace ")
        .append(flow.traceId())
        .append("_\n");
    return sb.toString();
  }

  /** Span ids of the critical path: blocked segments' waits, releasing calls and their chains. */
  public static Set<String> criticalSpans(CriticalPath path) {
    Set<String> out = new LinkedHashSet<>();
    for (CriticalPath.Segment seg : path.segments()) {
      if (seg.kind() != CriticalPath.Kind.BLOCKED) {
        continue;
      }
      for (Block b : seg.blocks()) {
        out.add(b.spanId());
      }
      if (seg.releasedBy() != null) {
        out.add(seg.releasedBy().spanId());
      }
      for (Call c : seg.chain()) {
        out.add(c.spanId());
      }
    }
    return out;
  }
}
