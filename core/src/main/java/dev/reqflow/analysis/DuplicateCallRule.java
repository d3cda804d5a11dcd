package dev.reqflow.analysis;

import dev.reqflow.flow.Call;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The same request made more than once in one flow: make it once and share the result. */
final class DuplicateCallRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    Map<String, List<Call>> byRequest = new LinkedHashMap<>();
    for (Call c : ctx.flow.calls()) {
      String m = c.method();
      // A redacted query without the agent's request hash hides what differs between requests:
      // they may not be the same at all.
      if ((m.equals("GET") || m.equals("HEAD")) && !c.failed() && c.requestKnown()) {
        byRequest.computeIfAbsent(c.requestKey(), k -> new ArrayList<>()).add(c);
      }
    }
    List<Suggestion> out = new ArrayList<>();
    for (List<Call> same : byRequest.values()) {
      if (same.size() < 2) {
        continue;
      }
      Call first = same.get(0);
      List<Change> changes = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      ids.add(first.spanId());
      for (Call c : same.subList(1, same.size())) {
        changes.add(new Change.ReuseResult(c.spanId(), first.spanId()));
        ids.add(c.spanId());
      }
      String title =
          "Make " + Explain.shortName(first) + " once: the page makes it " + same.size() + " times";
      String explanation =
          "The same request is made "
              + same.size()
              + " times in this page:"
              + Explain.bullets(same)
              + "\nMake it once and pass the result (or its future) to every place that needs it.";
      out.add(
          Suggestions.make(ctx, SuggestionKind.DUPLICATE_CALL, title, explanation, ids, changes));
    }
    return out;
  }
}
