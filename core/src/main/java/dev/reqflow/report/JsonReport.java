package dev.reqflow.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.reqflow.analysis.AcrossServices;
import dev.reqflow.analysis.BlindSpot;
import dev.reqflow.analysis.Blindness;
import dev.reqflow.analysis.CriticalPath;
import dev.reqflow.analysis.Deadlock;
import dev.reqflow.analysis.Durations;
import dev.reqflow.analysis.EndpointSummary;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.StalledFlow;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Stall;
import dev.reqflow.flow.ThreadNow;
import dev.reqflow.flow.Unseen;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The report as one JSON object, every flow listed, times in milliseconds: {@code
 * {"stalled":[...],"not_seen":{...},"flows":[...],"endpoints":[...],"warnings":[...]}}. {@code
 * stalled} comes first: each flow that had not ended, or that stalled and ended later ({@code
 * trace_id}, {@code name}, {@code open_ms} (open at its last snapshot), {@code reason}, {@code
 * stalled}, {@code ended} (true: it stalled and ended later, after {@code ended_ms}; its {@code
 * flows[]} entry is read from its own spans), {@code deadlocks[]} of {@code kind}, {@code
 * executor}, {@code message}, {@code fix}; {@code held_by_deadlock} (of an ended flow, the render
 * thread's wait that no call released, put down to the deadlock, or {@code ""}); {@code threads[]}
 * of {@code thread}, {@code kind}, {@code waiting_ms} (at the snapshot), {@code site}, {@code
 * calls}, {@code task_state}, {@code executor}; {@code calls_in_progress} (at the snapshot); {@code
 * open_at_end}: span ids of the calls and waits still in progress when an ended flow ended); then
 * {@code not_seen}: {@code no_flows}, {@code libraries_unrecorded} (client libraries loaded whose
 * calls are not recorded), {@code no_waits_flows} and {@code no_waits} (flows from other tools'
 * traces: their calls are listed, which held the page up is not known; the sentence, or {@code ""})
 * and {@code endpoints} (each blind endpoint: {@code name}, {@code service}, {@code flows}, {@code
 * unseen_flows}, {@code median_unseen_ms}, {@code no_call_flows}, {@code lock_wait_flows} when
 * some, {@code libraries}, {@code message}). A flow the agent sampled has {@code sampling} (its
 * options) and {@code sampled_because} ({@code at_start}: drawn at random; else kept for what it
 * was: {@code slower_than_p90}, {@code slower_than_option}, {@code failed}, {@code before_p90},
 * {@code with_trace}). Each flow has {@code blind}, {@code no_calls} and {@code unseen} ({@code
 * socket_ms}, {@code socket_ops}, {@code wait_ms}, {@code total_ms}, {@code libraries}, {@code
 * lock_waits} when its waits for monitors went unseen: {@code jfr-starting}, {@code jfr-failed})
 * and {@code calls} (each: {@code span_id}, {@code method}, {@code url}, {@code target}
 * (host:port), {@code label} ({@code GET /user on 127.0.0.1:8081, HTTP 200}), {@code status},
 * {@code error}, {@code start_ms}, {@code duration_ms}, {@code site}, {@code mode}, {@code reused},
 * {@code incomplete}: {@code unreachable}, {@code unclosed}, {@code exit} or {@code ""}, {@code
 * ran_on_ms}).
 */
final class JsonReport {
  private JsonReport() {}

  static void write(ReportInput in, PrintWriter out) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out);
    g.useDefaultPrettyPrinter();
    g.writeStartObject();
    writeStalled(Stalled.of(in), g);
    writeNotSeen(Blind.of(in), g);
    AcrossServices across = AcrossServices.of(in.analysis().flows());
    g.writeArrayFieldStart("flows");
    for (FlowReport r : in.analysis().flows()) {
      Flow f = r.flow();
      g.writeStartObject();
      g.writeStringField("trace_id", f.traceId());
      g.writeStringField("span_id", f.spanId());
      g.writeStringField("parent_span_id", f.parentSpanId());
      g.writeStringField("name", f.name());
      g.writeStringField("service", f.service());
      g.writeStringField("start", Words.time(f.startNanos()));
      g.writeNumberField("duration_ms", Durations.millis(f.durationNanos()));
      g.writeNumberField("blocked_ms", Durations.millis(r.criticalPath().blockedNanos()));
      g.writeBooleanField("waits_recorded", f.waitsRecorded());
      if (f.sampling().sampled()) {
        g.writeStringField("sampling", f.sampling().options());
        g.writeStringField("sampled_because", f.sampling().keptBecause());
      }
      g.writeBooleanField("in_progress", f.inProgress());
      g.writeBooleanField("blind", Blindness.blind(f));
      g.writeBooleanField("no_calls", Blindness.noCalls(f));
      Unseen u = f.unseen();
      g.writeObjectFieldStart("unseen");
      g.writeNumberField("socket_ms", Durations.millis(u.socketNanos()));
      g.writeNumberField("socket_ops", u.socketOps());
      g.writeNumberField("wait_ms", Durations.millis(u.waitNanos()));
      g.writeNumberField("total_ms", Durations.millis(u.totalNanos()));
      strings(g, "libraries", u.libraries());
      if (u.lockWaitsUnseen()) {
        g.writeStringField("lock_waits", u.lockWaits());
      }
      g.writeEndObject();
      g.writeNumberField("call_count", f.calls().size());
      writeCalls(r, across, g);
      writeAcross(r, across, g);
      if (!r.whyNone().isEmpty()) {
        g.writeStringField("why_no_suggestion", r.whyNone());
      }
      g.writeArrayFieldStart("suggestions");
      for (Suggestion s : r.suggestions()) {
        g.writeStartObject();
        g.writeStringField("kind", s.kind().id());
        g.writeStringField("title", s.title());
        g.writeNumberField("saving_ms", Durations.millis(s.savingNanos()));
        g.writeNumberField("predicted_ms", Durations.millis(s.predictedNanos()));
        g.writeArrayFieldStart("span_ids");
        for (String id : s.spanIds()) {
          g.writeString(id);
        }
        g.writeEndArray();
        g.writeStringField("explanation", s.explanation());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("warnings");
      for (String w : f.warnings()) {
        g.writeString(w);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("endpoints");
    for (EndpointSummary e : in.analysis().endpoints()) {
      g.writeStartObject();
      g.writeStringField("name", e.name());
      g.writeStringField("service", e.service());
      g.writeNumberField("flows", e.flowCount());
      g.writeNumberField("p50_ms", Durations.millis(e.p50Nanos()));
      g.writeNumberField("p95_ms", Durations.millis(e.p95Nanos()));
      g.writeNumberField("max_ms", Durations.millis(e.maxNanos()));
      g.writeNumberField("blocked_share", Math.round(e.blockedShare() * 1000) / 1000.0);
      g.writeArrayFieldStart("top_blockers");
      for (EndpointSummary.Blocker b : e.topBlockers()) {
        g.writeStartObject();
        g.writeStringField("call", b.call());
        g.writeNumberField("blocked_ms", Durations.millis(b.totalBlockedNanos()));
        g.writeNumberField("flows", b.flows());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("suggestions");
      for (EndpointSummary.SuggestionCount c : e.suggestions()) {
        g.writeStartObject();
        g.writeStringField("kind", c.kind().id());
        g.writeNumberField("flows", c.flows());
        g.writeNumberField("median_saving_ms", Durations.millis(c.medianSavingNanos()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("warnings");
    for (String w : in.warnings()) {
      g.writeString(w);
    }
    g.writeEndArray();
    g.writeEndObject();
    g.flush();
    out.println();
    out.flush();
  }

  /** The flows that had not ended, first: every one of them. */
  private static void writeStalled(Stalled stalled, JsonGenerator g) throws IOException {
    g.writeArrayFieldStart("stalled");
    for (StalledFlow s : stalled.flows()) {
      Flow f = s.flow();
      Stall st = f.stall();
      g.writeStartObject();
      g.writeStringField("trace_id", f.traceId());
      g.writeStringField("span_id", f.spanId());
      g.writeStringField("name", f.name());
      g.writeStringField("service", f.service());
      g.writeStringField("start", Words.time(f.startNanos()));
      g.writeNumberField("open_ms", Durations.millis(s.openAtSnapshotNanos()));
      g.writeStringField("reason", st.reason());
      g.writeBooleanField("stalled", s.stalled());
      g.writeBooleanField("ended", s.ended());
      if (s.ended()) {
        g.writeNumberField("ended_ms", Durations.millis(f.durationNanos()));
      }
      g.writeNumberField("stall_after_ms", Durations.millis(st.stallAfterNanos()));
      g.writeNumberField("snapshot", st.seq());
      g.writeNumberField("left_out", st.leftOut());
      g.writeStringField("message", s.headline());
      g.writeArrayFieldStart("deadlocks");
      for (Deadlock d : s.deadlocks()) {
        g.writeStartObject();
        g.writeStringField("kind", d.kind().id());
        g.writeStringField("executor", d.executor().id());
        g.writeStringField("threads", d.threadNames());
        g.writeNumberField("waiting_threads", d.threads());
        g.writeNumberField("limit", d.executor().limit());
        g.writeNumberField("active", d.executor().active());
        g.writeNumberField("queued", d.executor().queued());
        strings(g, "awaited", d.awaited());
        g.writeStringField("where", d.sitesLabel());
        g.writeStringField("message", d.sentence());
        g.writeStringField("fix", d.fix());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("held_by_deadlock", s.heldByDeadlock());
      g.writeArrayFieldStart("threads");
      for (ThreadNow t : st.threads()) {
        g.writeStartObject();
        g.writeStringField("thread", t.thread().label());
        g.writeStringField("role", t.thread().role().name().toLowerCase(java.util.Locale.ROOT));
        g.writeStringField("kind", t.kind());
        if (!t.state().isEmpty()) {
          g.writeStringField("state", t.state());
        }
        if (t.waiting()) {
          g.writeNumberField("waiting_ms", Durations.millis(st.atNanos() - t.sinceNanos()));
        }
        g.writeStringField("site", t.site().isKnown() ? t.site().label() : "");
        g.writeStringField("frame", t.frame());
        strings(g, "calls", t.waitingOn());
        if (!t.taskState().isEmpty()) {
          g.writeStringField("task_state", t.taskState());
          g.writeStringField("task_executor", t.taskExecutor());
          g.writeStringField("task_thread", t.taskThread());
        }
        if (t.executor().isKnown()) {
          g.writeObjectFieldStart("executor");
          g.writeStringField("id", t.executor().id());
          g.writeNumberField("limit", t.executor().limit());
          g.writeNumberField("active", t.executor().active());
          g.writeNumberField("queued", t.executor().queued());
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      strings(g, "calls_in_progress", s.callsInProgress());
      strings(g, "open_at_end", List.copyOf(new java.util.TreeSet<>(st.openAtEnd())));
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /**
   * The flow's calls, in the order they were issued: {@code span_id}, {@code method}, {@code url}
   * (as the trace has it, query values redacted), {@code status} (0: no response), {@code error}
   * ({@code ""}: none), {@code start_ms} from the flow's start, {@code duration_ms}, {@code site}
   * ({@code ""}: unknown), {@code mode}, {@code reused} (true, false, or null: unknown), {@code
   * incomplete}, {@code ran_on_ms} (how long the call ran on after the page answered without it;
   * its {@code duration_ms} stops at the flow's end; 0: it ended within the flow).
   */
  /**
   * The critical path continued into the services the flow's calls reached ({@code
   * across_services}: one sentence per segment that waited on such a call), and their suggestions
   * with what they would save of this flow ({@code callee_suggestions}).
   */
  private static void writeAcross(FlowReport r, AcrossServices across, JsonGenerator g)
      throws IOException {
    List<String> sentences = new ArrayList<>();
    for (CriticalPath.Segment s : r.criticalPath().segments()) {
      String further = across.continuation(r.flow(), s);
      if (!further.isEmpty()) {
        sentences.add(further);
      }
    }
    strings(g, "across_services", sentences);
    g.writeArrayFieldStart("callee_suggestions");
    for (Call c : r.flow().calls()) {
      for (AcrossServices.CalleeSuggestion cs : across.suggestions(r, c)) {
        g.writeStartObject();
        g.writeStringField("call_span_id", c.spanId());
        g.writeStringField("service", cs.callee().flow().service());
        g.writeStringField("flow", cs.callee().flow().name());
        g.writeStringField("flow_span_id", cs.callee().flow().spanId());
        g.writeStringField("kind", cs.suggestion().kind().id());
        g.writeStringField("title", cs.suggestion().title());
        g.writeNumberField("saving_ms", Durations.millis(cs.suggestion().savingNanos()));
        g.writeNumberField("caller_saving_ms", Durations.millis(cs.callerSavingNanos()));
        g.writeNumberField("share_of_caller", Math.round(cs.shareOfCaller() * 1000) / 1000.0);
        g.writeEndObject();
      }
    }
    g.writeEndArray();
  }

  private static void writeCalls(FlowReport r, AcrossServices across, JsonGenerator g)
      throws IOException {
    Flow f = r.flow();
    g.writeArrayFieldStart("calls");
    for (Call c : f.calls()) {
      g.writeStartObject();
      g.writeStringField("span_id", c.spanId());
      FlowReport callee = across.callee(f, c);
      if (callee != null) {
        // The flow the called service ran for this call: its trace is this flow's.
        g.writeObjectFieldStart("callee");
        g.writeStringField("span_id", callee.flow().spanId());
        g.writeStringField("service", callee.flow().service());
        g.writeStringField("name", callee.flow().name());
        g.writeNumberField("duration_ms", Durations.millis(callee.flow().durationNanos()));
        g.writeEndObject();
      }
      g.writeStringField("method", c.method());
      g.writeStringField("url", c.url().isEmpty() ? c.hostPort() : c.url());
      g.writeStringField("target", c.hostPort());
      g.writeStringField("label", Words.callLine(c));
      g.writeNumberField("status", c.status());
      g.writeStringField("error", c.error());
      g.writeNumberField("start_ms", Durations.millis(c.startNanos() - f.startNanos()));
      g.writeNumberField("duration_ms", Durations.millis(c.durationNanos()));
      g.writeStringField("site", c.callSite().isKnown() ? c.callSite().label() : "");
      g.writeStringField("mode", c.mode().name().toLowerCase(java.util.Locale.ROOT));
      switch (c.connectionReuse()) {
        case REUSED:
          g.writeBooleanField("reused", true);
          break;
        case NEW:
          g.writeBooleanField("reused", false);
          break;
        default:
          g.writeNullField("reused");
          break;
      }
      // Why the agent ended the call itself (unreachable, unclosed, exit): its response was never
      // closed, so its duration is what was seen; "" for a call its client ended.
      g.writeStringField("incomplete", c.incomplete());
      Long ranOn = f.callsRunOn().get(c.spanId());
      g.writeNumberField("ran_on_ms", ranOn == null ? 0 : Durations.millis(ranOn));
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeNotSeen(Blind blind, JsonGenerator g) throws IOException {
    g.writeObjectFieldStart("not_seen");
    g.writeBooleanField("no_flows", blind.noFlows());
    g.writeNumberField("no_calls_anywhere", blind.noCallsAnywhere());
    strings(g, "libraries_unrecorded", blind.libraries());
    g.writeNumberField("no_waits_flows", blind.noWaitsFlows());
    g.writeStringField("no_waits", blind.noWaitsSentence());
    g.writeArrayFieldStart("endpoints");
    for (BlindSpot b : blind.spots()) {
      g.writeStartObject();
      g.writeStringField("name", b.name());
      g.writeStringField("service", b.service());
      g.writeNumberField("flows", b.flows());
      g.writeNumberField("unseen_flows", b.unseenFlows());
      g.writeNumberField("median_unseen_ms", Durations.millis(b.medianUnseenNanos()));
      g.writeNumberField("no_call_flows", b.noCallFlows());
      if (b.lockWaitFlows() > 0) {
        g.writeNumberField("lock_wait_flows", b.lockWaitFlows());
      }
      strings(g, "libraries", b.libraries());
      g.writeStringField("message", b.sentence());
      g.writeStringField("where", b.how());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void strings(JsonGenerator g, String field, java.util.List<String> values)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }
}
