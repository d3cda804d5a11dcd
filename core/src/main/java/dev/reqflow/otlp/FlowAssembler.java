package dev.reqflow.otlp;

import dev.reqflow.contract.Routes;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.LinkType;
import dev.reqflow.contract.TraceContract.SpanType;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.CallMode;
import dev.reqflow.flow.CodeLocation;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.flow.Dependency;
import dev.reqflow.flow.DependencyType;
import dev.reqflow.flow.ExecutorState;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Pool;
import dev.reqflow.flow.PoolKind;
import dev.reqflow.flow.Sampling;
import dev.reqflow.flow.Section;
import dev.reqflow.flow.Stall;
import dev.reqflow.flow.ThreadNow;
import dev.reqflow.flow.ThreadRef;
import dev.reqflow.flow.ThreadRole;
import dev.reqflow.flow.Unseen;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * Collects spans from any number of OTLP inputs (files, requests received live) and assembles them
 * into flows: a flow span (reqflow's, or any SERVER span) and the call, block and section spans
 * whose nearest flow ancestor it is. Problems in the input are repaired and reported as warnings,
 * not thrown: duplicates are dropped, spans overflowing their flow are trimmed, spans lying wholly
 * outside it (clock skew) are shifted in, spans whose parent never arrived join their trace's only
 * flow. Snapshots of flows in progress (spans with {@code reqflow.in_progress}) are no duplicates:
 * of one span id, the span that ended wins over its snapshots and a later snapshot over an earlier
 * one; a flow still in progress keeps the spans of its latest snapshot ({@link Flow#stall()}). A
 * flow whose final span is there is read from its own spans; when its latest snapshot shows it
 * stalled, that snapshot stays its {@link Flow#stall()} (ended): what its threads waited on then,
 * and the calls and waits in progress then that never ended, which run to the flow's end. Either
 * order of arrival gives the same flow. Not thread-safe: one assembler per reading thread.
 */
public final class FlowAssembler {
  private static final long MS = 1_000_000L;

  /**
   * A call recorded ending more than this after its flow ran on after the page answered (it gave up
   * on it); less is the agent's own bookkeeping (a body's end reported after the response).
   */
  private static final long RAN_ON_SLACK_NANOS = 20 * MS;

  private final Interner interner;
  private final Map<String, Map<String, RawSpan>> traces = new LinkedHashMap<>();

  /**
   * The latest snapshot version of each span that had one, by trace and span id: kept when the
   * span's end supersedes it in {@link #traces}, for a flow that stalled and ended later.
   */
  private final Map<String, Map<String, RawSpan>> snapshots = new HashMap<>();

  private final List<String> warnings = new ArrayList<>();
  private final InstallNotices installs = new InstallNotices();
  private long spanCount;
  private final Set<String> changed = new LinkedHashSet<>();
  private long duplicates;
  private String firstDuplicate;

  /** An assembler of its own input: its strings and repeated values shared among its spans. */
  public FlowAssembler() {
    interner = new Interner();
    sharedValues = new ConcurrentHashMap<>();
  }

  /**
   * An assembler sharing strings and repeated values (threads, call sites, pools) with every other
   * assembler made with the same {@code shared}: for many small assemblers held at once, one per
   * trace of a live session, which would otherwise each keep their own copies and tables.
   */
  public FlowAssembler(Shared shared) {
    interner = shared.strings;
    sharedValues = shared.values;
  }

  /**
   * What assemblers of one session share (see {@link #FlowAssembler(Shared)}): a bounded table of
   * strings and at most {@code 65,536} repeated values. Thread-safe: assemblers on any threads may
   * share one.
   */
  public static final class Shared {
    /** Slots of the string table: names recur by the hundreds, ids never. */
    private static final int STRING_SLOTS = 1 << 16;

    private final Interner strings = Interner.bounded(STRING_SLOTS);
    private final Map<Object, Object> values = new ConcurrentHashMap<>();
  }

  /** Adds the spans of one received request. */
  public FlowAssembler add(ExportTraceServiceRequest request, String source) {
    new OtlpProtoReader(interner).read(request, source, this::accept);
    return this;
  }

  /**
   * Adds an OTLP protobuf {@code ExportTraceServiceRequest}, read as it streams in (never whole),
   * its spans decoded on up to {@link #PROTOBUF_THREADS} cores.
   */
  public FlowAssembler addProtobuf(InputStream in, String source) throws OtlpFormatException {
    int threads = Math.min(PROTOBUF_THREADS, Runtime.getRuntime().availableProcessors());
    new OtlpProtoReader(interner).read(in, source, this::accept, threads);
    return this;
  }

  /** Threads decoding protobuf spans: beyond a few, the one reading the stream cannot keep up. */
  private static final int PROTOBUF_THREADS = 4;

  /** Adds OTLP JSON: one request, or JSON lines of them. */
  public FlowAssembler addJson(InputStream in, String source) throws OtlpFormatException {
    new OtlpJsonReader(interner).read(in, source, this::accept);
    return this;
  }

  /**
   * Adds a file of OTLP JSON, JSON lines or protobuf, gzipped or not, or a log with OTLP JSON lines
   * among other output (the OpenTelemetry Java agent's {@code logging-otlp}); the format is told
   * from the content, not the name. A file that yields no span is no error here (the viewer shows
   * an empty file as empty): {@link #whyNoSpans()} says why, for callers that want one.
   */
  public FlowAssembler addFile(Path file) throws IOException {
    String source = file.toString();
    int cores = Runtime.getRuntime().availableProcessors();
    if (cores > 1 && Files.size(file) > PARALLEL_FROM_BYTES && startsWith(file, '{')) {
      long before = spanCount;
      ParallelJsonFileReader.read(file, source, this::accept, cores);
      lastInput = spanCount > before ? "" : source + ": no spans in its OTLP JSON";
      return this;
    }
    try (InputStream raw = Files.newInputStream(file)) {
      return addStream(raw, source);
    }
  }

  /**
   * As {@link #addFile}, from a stream (standard input): OTLP JSON, JSON lines, protobuf, or a log
   * with OTLP JSON lines, gzipped or not. The stream is read to its end, not closed.
   */
  public FlowAssembler addStream(InputStream stream, String source) throws IOException {
    long before = spanCount;
    InputStream in = new BufferedInputStream(stream, 1 << 16);
    in.mark(2);
    if (in.read() == 0x1f && in.read() == 0x8b) {
      in.reset();
      in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    } else {
      in.reset();
    }
    in.mark(SNIFF_BYTES);
    byte[] head = in.readNBytes(SNIFF_BYTES);
    in.reset();
    int first = 0;
    while (first < head.length && isSpace(head[first])) {
      first++;
    }
    if (first == head.length) {
      warnings.add(source + ": empty file");
      lastInput = source + ": " + (head.length == 0 ? "empty" : "only white space");
      return this;
    }
    if (head[first] == '{') {
      addJson(in, source);
      lastInput = spanCount > before ? "" : source + ": no spans in its OTLP JSON";
    } else if (isText(head)) {
      LogLinesReader.Counts c = LogLinesReader.read(in, source, interner, this::accept);
      if (c.otherLines > 0 && c.spans > 0) {
        warnings.add(
            source
                + ": "
                + c.otherLines
                + (c.otherLines == 1 ? " line" : " lines")
                + " without OTLP JSON skipped (other output), "
                + c.spans
                + " spans read from "
                + (c.lines - c.otherLines)
                + " OTLP lines");
      }
      lastInput =
          c.spans > 0
              ? ""
              : source
                  + ": no spans in "
                  + c.lines
                  + (c.lines == 1 ? " line" : " lines")
                  + " of text: "
                  + (c.jsonLinesWithoutSpans > 0
                      ? c.jsonLinesWithoutSpans
                          + " OTLP JSON line(s) hold no span (metrics or logs?)"
                      : "none holds OTLP JSON")
                  + ". The OpenTelemetry Java agent prints spans as OTLP JSON lines with"
                  + " -Dotel.traces.exporter=logging-otlp; reqflow's agent writes them with file=";
    } else {
      addProtobuf(in, source);
      lastInput = spanCount > before ? "" : source + ": no spans in its OTLP protobuf";
    }
    return this;
  }

  /**
   * Why the last input added ({@link #addFile}, {@link #addStream}) yielded no span: {@code "FILE:
   * empty"}, {@code "FILE: no spans in 40 lines of text: none holds OTLP JSON. ..."}; {@code ""}
   * when it yielded some.
   */
  public String whyNoSpans() {
    return lastInput;
  }

  /** Spans read so far, duplicates included. */
  public long spanCount() {
    return spanCount;
  }

  private String lastInput = "";

  /** Bytes looked at to tell JSON, text and protobuf apart. */
  private static final int SNIFF_BYTES = 4096;

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /**
   * True when the bytes look like text: no control byte but white space, form feed and escape
   * (colours in logs). OTLP protobuf always has some: every span's 16-byte trace id is preceded by
   * its length, 0x10.
   */
  private static boolean isText(byte[] head) {
    for (byte b : head) {
      if (b >= 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != 0x0c && b != 0x1b) {
        return false;
      }
    }
    return true;
  }

  /** Files above this size are read on all cores when they are plain JSON. */
  private static final long PARALLEL_FROM_BYTES = 8 << 20;

  /** True when the first byte that is not white space is {@code c}. */
  private static boolean startsWith(Path file, char c) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 256)) {
      int b;
      do {
        b = in.read();
      } while (b == ' ' || b == '\n' || b == '\r' || b == '\t');
      return b == c;
    }
  }

  private void accept(RawSpan s) {
    spanCount++;
    if (SpanType.INSTALL.equals(s.spanType)) {
      // No flow: when the agent began recording, said before anything else (build()).
      installs.add(s);
      return;
    }
    changed.add(s.traceId);
    Map<String, RawSpan> trace = traces.computeIfAbsent(s.traceId, k -> new HashMap<>());
    RawSpan before = trace.putIfAbsent(s.spanId, s);
    if (s.inProgress) {
      snapshots
          .computeIfAbsent(s.traceId, k -> new HashMap<>())
          .merge(s.spanId, s, (old, now) -> now.snapshotSeq > old.snapshotSeq ? now : old);
    }
    if (before != null && (before.inProgress || s.inProgress)) {
      // A snapshot's version of a span in progress: the final span, or the latest snapshot, wins.
      if (supersedes(s, before)) {
        trace.put(s.spanId, s);
      }
    } else if (before != null) {
      duplicates++;
      if (firstDuplicate == null) {
        firstDuplicate = s.spanId + " (" + s.source + (s.line > 0 ? ":" + s.line : "") + ")";
      }
    }
  }

  /**
   * True when {@code later} replaces {@code earlier}, two versions of one span: a span that ended
   * replaces its snapshots, a later snapshot an earlier one.
   */
  private static boolean supersedes(RawSpan later, RawSpan earlier) {
    if (!earlier.inProgress) {
      return false;
    }
    return !later.inProgress || later.snapshotSeq > earlier.snapshotSeq;
  }

  /** Flows of every trace so far, by start time, with the warnings. */
  public ReadResult build() {
    changed.clear();
    List<TraceSpans> all = new ArrayList<>(traces.size());
    traces.forEach((id, spans) -> all.add(new TraceSpans(id, spans)));
    return build(all, false);
  }

  /**
   * As {@link #build()}, for a reader that adds nothing more (a file, a report): each trace's spans
   * are let go of as soon as its flows are built, so that the spans of a million-span file and the
   * flows made of them are not all held at once. The assembler holds no span afterwards: later
   * input starts afresh (its warnings and counts go on).
   */
  public ReadResult buildOnce() {
    changed.clear();
    List<TraceSpans> all = new ArrayList<>(traces.size());
    traces.forEach((id, spans) -> all.add(new TraceSpans(id, spans)));
    traces.clear();
    return build(all, true);
  }

  /**
   * Flows of the traces that received spans since the last {@code build} or {@code buildChanged}:
   * for a live receiver, which replaces the flows it shows by trace id instead of assembling
   * everything again. Warnings are those of the changed traces, and the reader's so far.
   */
  public ReadResult buildChanged() {
    List<TraceSpans> entries = new ArrayList<>(changed.size());
    for (String traceId : changed) {
      entries.add(new TraceSpans(traceId, traces.get(traceId)));
    }
    changed.clear();
    return build(entries, false);
  }

  /** A trace's spans by span id, until its flows are built (then null when they are let go). */
  private static final class TraceSpans {
    final String traceId;
    Map<String, RawSpan> spans;
    Map<String, RawSpan> snapshots;

    TraceSpans(String traceId, Map<String, RawSpan> spans) {
      this.traceId = traceId;
      this.spans = spans;
    }
  }

  private ReadResult build(List<TraceSpans> entries, boolean release) {
    for (TraceSpans e : entries) {
      for (RawSpan s : e.spans.values()) {
        if (s.endpoint == null && isFlow(s)) {
          s.endpoint = endpointName(s);
        }
      }
      e.snapshots = snapshots.getOrDefault(e.traceId, Map.of());
    }
    if (release) {
      snapshots.clear();
    }
    List<String> all = new ArrayList<>(installs.sentences());
    all.addAll(warnings);
    if (duplicates > 0) {
      all.add(duplicates + " duplicate span(s) ignored, the first: span " + firstDuplicate);
    }
    // Traces assemble independently: in parallel when there are many, collected in trace order
    // so that flows and warnings come out the same either way.
    List<Object[]> parts =
        (entries.size() > 1000 ? entries.parallelStream() : entries.stream())
            .map(
                e -> {
                  List<Flow> f = new ArrayList<>(1);
                  List<String> w = new ArrayList<>(0);
                  assembleTrace(e.traceId, e.spans, e.snapshots, f, w);
                  if (release) {
                    e.spans = null;
                    e.snapshots = null;
                  }
                  return new Object[] {f, w};
                })
            .toList();
    List<Flow> flows = new ArrayList<>(entries.size());
    for (Object[] part : parts) {
      @SuppressWarnings("unchecked")
      List<Flow> f = (List<Flow>) part[0];
      @SuppressWarnings("unchecked")
      List<String> w = (List<String>) part[1];
      flows.addAll(f);
      all.addAll(w);
    }
    flows.sort(Comparator.comparingLong(Flow::startNanos).thenComparing(Flow::traceId));
    return new ReadResult(flows, all, spanCount);
  }

  private static boolean isFlow(RawSpan s) {
    return s.spanType == null ? s.kind == RawSpan.KIND_SERVER : s.spanType.equals(SpanType.FLOW);
  }

  private static boolean isCall(RawSpan s) {
    return s.spanType == null ? s.kind == RawSpan.KIND_CLIENT : s.spanType.equals(SpanType.CALL);
  }

  private void assembleTrace(
      String traceId,
      Map<String, RawSpan> spans,
      Map<String, RawSpan> snapshotVersions,
      List<Flow> out,
      List<String> warn) {
    List<RawSpan> flowSpans = new ArrayList<>();
    for (RawSpan s : spans.values()) {
      if (isFlow(s)) {
        flowSpans.add(s);
      }
    }
    if (flowSpans.isEmpty()) {
      RawSpan root = null;
      boolean hasCalls = false;
      for (RawSpan s : spans.values()) {
        hasCalls |= isCall(s);
        if (!isCall(s)
            && (s.parentSpanId.isEmpty() || !spans.containsKey(s.parentSpanId))
            && (root == null || s.startNanos < root.startNanos)) {
          root = s;
        }
      }
      if (!hasCalls || root == null) {
        return;
      }
      flowSpans.add(root);
      warn.add(
          "trace "
              + traceId
              + " has no server span: its root span '"
              + root.name
              + "' is the flow");
    }
    flowSpans.sort(
        Comparator.comparingLong((RawSpan s) -> s.startNanos).thenComparing(s -> s.spanId));
    Map<String, FlowParts> parts = new LinkedHashMap<>();
    for (RawSpan f : flowSpans) {
      parts.put(f.spanId, new FlowParts(f));
    }
    Map<String, String> owner = new HashMap<>();
    long orphans = 0;
    for (RawSpan s : spans.values()) {
      if (parts.containsKey(s.spanId)) {
        continue;
      }
      boolean call = isCall(s);
      boolean typed = SpanType.BLOCK.equals(s.spanType) || SpanType.SECTION.equals(s.spanType);
      if (!call && !typed) {
        continue;
      }
      String flowId = nearestFlow(s, spans, parts, owner);
      if (flowId == null) {
        if (parts.size() == 1) {
          FlowParts only = parts.values().iterator().next();
          only.adopted++;
          only.spans.add(s);
        } else {
          orphans++;
        }
        continue;
      }
      parts.get(flowId).spans.add(s);
    }
    for (FlowParts p : parts.values()) {
      RawSpan last = snapshotVersions.get(p.flow.spanId);
      if (!p.flow.inProgress && last != null && stalled(last)) {
        p.lastSnapshot = last;
      }
    }
    for (RawSpan s : snapshotVersions.values()) {
      if (parts.containsKey(s.spanId)) {
        continue;
      }
      String flowId = nearestFlow(s, spans, parts, owner);
      FlowParts p =
          flowId != null
              ? parts.get(flowId)
              : parts.size() == 1 ? parts.values().iterator().next() : null;
      if (p != null && p.lastSnapshot != null && s.snapshotSeq == p.lastSnapshot.snapshotSeq) {
        p.snapshotSpans.add(s);
      }
    }
    if (orphans > 0) {
      warn.add(
          "trace "
              + traceId
              + ": "
              + orphans
              + " span(s) left out: their parent is missing and the trace has several flows");
    }
    for (FlowParts p : parts.values()) {
      out.add(buildFlow(traceId, p));
    }
  }

  /** Span id of the nearest flow ancestor, or null when the chain breaks first. Memoised. */
  private static String nearestFlow(
      RawSpan s,
      Map<String, RawSpan> spans,
      Map<String, FlowParts> flows,
      Map<String, String> memo) {
    List<String> path = new ArrayList<>();
    String found = null;
    RawSpan cur = s;
    for (int depth = 0; depth < 10_000; depth++) {
      String parent = cur.parentSpanId;
      if (parent.isEmpty()) {
        break;
      }
      if (memo.containsKey(parent)) {
        found = memo.get(parent);
        break;
      }
      if (flows.containsKey(parent)) {
        found = parent;
        break;
      }
      path.add(parent);
      cur = spans.get(parent);
      if (cur == null) {
        break;
      }
    }
    for (String p : path) {
      memo.put(p, found);
    }
    return found;
  }

  /** True when a snapshot of a flow shows it open for its {@code stall.after} or more. */
  private static boolean stalled(RawSpan flowSnapshot) {
    return Stall.REASON_STALLED.equals(flowSnapshot.more().snapshotReason)
        || (flowSnapshot.more().stallAfterNanos > 0
            && flowSnapshot.endNanos - flowSnapshot.startNanos
                >= flowSnapshot.more().stallAfterNanos);
  }

  private static final class FlowParts {
    final RawSpan flow;
    final List<RawSpan> spans = new ArrayList<>();
    int adopted;

    /** Of a flow that ended, its latest snapshot when it shows the flow stalled; else null. */
    RawSpan lastSnapshot;

    /** The spans of {@link #lastSnapshot}, the flow span's aside. */
    final List<RawSpan> snapshotSpans = new ArrayList<>();

    FlowParts(RawSpan flow) {
      this.flow = flow;
    }
  }

  private Flow buildFlow(String traceId, FlowParts p) {
    RawSpan f = p.flow;
    String name = f.endpoint != null ? f.endpoint : nameOf(f);
    Flow.Builder b =
        Flow.builder(traceId, f.spanId).service(f.service).name(name).parentSpanId(f.parentSpanId);
    long start = f.startNanos;
    long end = f.endNanos;
    if (end < start) {
      b.addWarning("the flow span ends before it starts: its duration is taken as 0");
      end = start;
    }
    b.time(start, end);
    if (p.adopted > 0) {
      b.addWarning(p.adopted + " span(s) whose parent is missing were attached to this flow");
    }
    ThreadRef render = thread(f);
    boolean waits = f.fromAgent;
    StallParts stall = f.inProgress ? new StallParts() : null;
    int trimmed = 0;
    int shifted = 0;
    long maxShift = 0;
    List<RawSpan> blocks = new ArrayList<>();
    Set<String> callIds = new HashSet<>();
    for (RawSpan s : p.spans) {
      if (s.inProgress && (stall == null || s.snapshotSeq != f.snapshotSeq)) {
        // The flow ended (its real spans supersede the snapshot), or a later snapshot holds it.
        continue;
      }
      if (stall != null && s.more().callExecutor != null && isCall(s)) {
        stall.callExecutors.put(s.spanId, s.more().callExecutor);
      }
      if (stall != null && s.inProgress && BlockKind.THREAD_STATE.equals(s.blockKind)) {
        stall.threads.add(threadNow(s, ""));
        continue;
      }
      long s0 = s.startNanos;
      long s1 = Math.max(s.endNanos, s0);
      long shift = 0;
      if (s1 <= start || s0 >= end) {
        shift = s1 <= start ? start - s0 : end - s1;
        if (s1 - s0 > end - start) {
          shift = start - s0;
        }
        shifted++;
        maxShift = Math.max(maxShift, Math.abs(shift));
        s0 += shift;
        s1 += shift;
      }
      if (isCall(s) && shift == 0 && !f.inProgress && s1 - end > RAN_ON_SLACK_NANOS) {
        b.callRanOn(s.spanId, s1 - end);
      }
      if (s0 < start || s1 > end) {
        trimmed++;
        s0 = Math.max(s0, start);
        s1 = Math.min(s1, end);
      }
      if (isCall(s)) {
        b.addCall(call(s, s0, s1, shift));
        callIds.add(s.spanId);
        if (s.inProgress) {
          stall.callsInProgress.add(s.spanId);
        }
      } else if (SpanType.BLOCK.equals(s.spanType)) {
        waits = true;
        blocks.add(s);
        if (s.inProgress) {
          stall.threads.add(threadNow(s, s.spanId));
        }
        b.addBlock(block(s, s0, s1));
      } else {
        b.addSection(
            new Section(
                s.spanId, s.sectionName != null ? s.sectionName : s.name, thread(s), s0, s1));
      }
    }
    if (!render.isKnown()) {
      for (RawSpan s : blocks) {
        if (ThreadRole.RENDER.name().equalsIgnoreCase(orEmpty(s.threadRole))) {
          render = thread(s);
          break;
        }
      }
    }
    b.renderThread(render.withRole(ThreadRole.RENDER));
    if (shifted > 0) {
      b.addWarning(
          shifted
              + " span(s) lay wholly outside the flow (clock skew?) and were shifted in, by up to "
              + (maxShift / MS)
              + " ms");
    }
    if (trimmed > 0) {
      b.addWarning(trimmed + " span(s) overflowed the flow and were trimmed to it");
    }
    if (!waits) {
      b.addWarning(
          "no waits recorded (not traced by the reqflow agent): calls are shown, but not which"
              + " ones held the page up");
    }
    if (stall != null) {
      b.stall(stall.build(f, render, false));
    } else if (p.lastSnapshot != null) {
      waits |= !p.snapshotSpans.isEmpty();
      b.stall(endedStall(p, b, start, end, blocks, callIds, render));
    }
    if (f.flowSampling != null && !f.flowSampling.isEmpty()) {
      b.sampling(
          new Sampling(f.flowSampling, f.flowSampledBecause == null ? "" : f.flowSampledBecause));
    }
    return b.waitsRecorded(waits).unseen(unseen(f)).build();
  }

  private Block block(RawSpan s, long s0, long s1) {
    List<String> released = new ArrayList<>();
    List<String> inCallback = new ArrayList<>();
    for (int i = 0; i < s.linkCount; i++) {
      if (LinkType.WAITED_ON.equals(s.linkTypes[i])) {
        released.add(s.linkSpanIds[i]);
      } else if (LinkType.CALLBACK.equals(s.linkTypes[i])) {
        inCallback.add(s.linkSpanIds[i]);
      }
    }
    return new Block(
        s.spanId,
        thread(s),
        orEmpty(s.blockKind),
        s0,
        s1,
        site(s),
        released,
        inCallback,
        orEmpty(s.blockCompletedBy),
        orEmpty(s.lockClass));
  }

  /**
   * The snapshot a flow that ended had stalled at: what its threads waited on then (a wait that
   * ended later known by its own block, the same thread's from the same start), and its calls and
   * waits in progress then. Those that never ended before the flow did (no span of their end is
   * there) are added to it from the snapshot, running to its end: the deadlock's calls and waits.
   */
  private Stall endedStall(
      FlowParts p,
      Flow.Builder b,
      long start,
      long end,
      List<RawSpan> realBlocks,
      Set<String> callIds,
      ThreadRef render) {
    StallParts stall = new StallParts();
    for (RawSpan s : p.snapshotSpans) {
      long s0 = Math.min(Math.max(s.startNanos, start), end);
      if (isCall(s)) {
        stall.callsInProgress.add(s.spanId);
        if (s.more().callExecutor != null) {
          stall.callExecutors.put(s.spanId, s.more().callExecutor);
        }
        if (!callIds.contains(s.spanId)) {
          b.addCall(call(s, s0, end, 0));
          stall.openAtEnd.add(s.spanId);
        }
      } else if (BlockKind.THREAD_STATE.equals(s.blockKind)) {
        stall.threads.add(threadNow(s, ""));
      } else if (SpanType.BLOCK.equals(s.spanType)) {
        RawSpan same = null;
        for (RawSpan r : realBlocks) {
          if (r.threadId == s.threadId && r.startNanos == s.startNanos) {
            same = r;
            break;
          }
        }
        if (same != null) {
          stall.threads.add(threadNow(s, same.spanId));
        } else {
          stall.threads.add(threadNow(s, s.spanId));
          b.addBlock(block(s, s0, end));
          stall.openAtEnd.add(s.spanId);
        }
      }
    }
    return stall.build(p.lastSnapshot, render, true);
  }

  /** What a snapshot says of a flow in progress, gathered from its spans. */
  private static final class StallParts {
    final List<ThreadNow> threads = new ArrayList<>();
    final Set<String> callsInProgress = new LinkedHashSet<>();
    final Map<String, String> callExecutors = new HashMap<>();
    final Set<String> openAtEnd = new LinkedHashSet<>();

    /**
     * @param flow the flow span of the snapshot
     * @param ended true when the flow ended after it
     */
    Stall build(RawSpan flow, ThreadRef render, boolean ended) {
      // The render thread first, then the others by name.
      threads.sort(
          Comparator.comparing((ThreadNow t) -> !t.thread().sameThread(render))
              .thenComparing(t -> t.thread().label())
              .thenComparingLong(ThreadNow::sinceNanos));
      return new Stall(
          (int) Math.min(Integer.MAX_VALUE, flow.snapshotSeq),
          orEmpty(flow.more().snapshotReason),
          flow.more().stallAfterNanos,
          flow.more().snapshotLeftOut,
          threads,
          callsInProgress,
          callExecutors,
          Math.max(flow.endNanos, flow.startNanos),
          ended,
          openAtEnd);
    }
  }

  /** A thread of a flow in progress, from its snapshot span. */
  private ThreadNow threadNow(RawSpan s, String blockSpanId) {
    List<String> waitingOn = new ArrayList<>();
    for (int i = 0; i < s.linkCount; i++) {
      if (LinkType.WAITED_ON.equals(s.linkTypes[i])) {
        waitingOn.add(s.linkSpanIds[i]);
      }
    }
    ExecutorState executor =
        s.more().threadExecutor == null
            ? ExecutorState.NONE
            : new ExecutorState(
                s.more().threadExecutor,
                (int) Math.min(Integer.MAX_VALUE, s.more().threadExecutorLimit),
                (int) Math.min(Integer.MAX_VALUE, s.more().threadExecutorActive),
                (int) Math.min(Integer.MAX_VALUE, s.more().threadExecutorQueued));
    boolean state = BlockKind.THREAD_STATE.equals(s.blockKind);
    return new ThreadNow(
        thread(s),
        state ? ThreadNow.THREAD_STATE : orEmpty(s.blockKind),
        state ? orEmpty(s.more().threadState) : "",
        s.startNanos,
        site(s),
        orEmpty(s.more().threadFrame),
        waitingOn,
        orEmpty(s.more().waitTaskState),
        orEmpty(s.more().waitTaskExecutor),
        orEmpty(s.more().waitTaskThread),
        executor,
        blockSpanId);
  }

  private static Unseen unseen(RawSpan f) {
    String lockWaits = f.more().unseenLockWaits == null ? "" : f.more().unseenLockWaits;
    if (f.more().unseenSocketNanos == 0
        && f.more().unseenWaitNanos == 0
        && f.more().librariesUnrecorded == null
        && lockWaits.isEmpty()) {
      return Unseen.NONE;
    }
    List<String> libraries =
        f.more().librariesUnrecorded == null
            ? List.of()
            : f.more().librariesUnrecorded.stream().sorted().toList();
    return new Unseen(
        f.more().unseenSocketNanos,
        f.more().unseenSocketOps,
        f.more().unseenWaitNanos,
        libraries,
        lockWaits);
  }

  /**
   * The endpoint a flow belongs to: its name from the agent (which carries the route when the
   * server named one); for another tool's server span, the method and the first of: its {@code
   * http.route} (unless it is a mount point, below), its {@code url.template}, the path of its
   * {@code url.path} or {@code http.target} with identifier segments templated ({@link Routes}). A
   * route without parameters that is a strict prefix of the path, or that ends in {@code /*}, is
   * where a handler was mounted, not a template: the OpenTelemetry Java agent gives every request
   * to a JDK {@code HttpServer} context {@code "/"} the route {@code "/"}, which would make one
   * endpoint of every page and backend. Without a method, the span's name, templated.
   */
  private static String flowName(RawSpan f) {
    if (f.flowName != null) {
      return f.route != null ? f.flowName : Routes.templated(f.flowName);
    }
    String method = f.method;
    if (method == null && f.name.indexOf(' ') < 0 && isMethod(f.name)) {
      method = f.name;
    }
    if (method != null) {
      String path = f.urlPath != null ? Routes.normalizedPath(f.urlPath) : pathOf(f.url);
      if (f.route != null && !f.route.isEmpty() && !Routes.isMountPoint(f.route, path)) {
        return method + " " + f.route;
      }
      if (f.urlTemplate != null && !f.urlTemplate.isEmpty()) {
        return method + " " + f.urlTemplate;
      }
      if (path != null) {
        return method + " " + Routes.templatePath(path) + BY_PATH;
      }
      if (f.route != null && !f.route.isEmpty()) {
        return method + " " + f.route;
      }
    }
    return Routes.templated(f.name);
  }

  /** {@link #flowName} as a flow carries it, without the cap {@link #endpointName} applies. */
  static String nameOf(RawSpan f) {
    String name = flowName(f);
    return name.endsWith(BY_PATH) ? name.substring(0, name.length() - BY_PATH.length()) : name;
  }

  /**
   * Ends a name from {@link #flowName} that was made of a request path rather than a route or
   * template: {@link #endpointName} caps how many of those a service gets. Never in a flow's name.
   */
  private static final String BY_PATH = "\u0000path";

  /**
   * Endpoints named by path that one service may have, in the order they arrive; later paths are
   * grouped by their first segment. Paths whose identifiers {@link Routes} cannot tell (slugs,
   * search terms, file names) would otherwise make an endpoint of each request.
   */
  static final int MAX_PATH_ENDPOINTS = 100;

  private final Map<String, Set<String>> pathEndpoints = new HashMap<>();

  /**
   * The endpoint of a flow span: {@link #flowName}, with names made of paths capped at {@link
   * #MAX_PATH_ENDPOINTS} per service ({@code GET /static/*} beyond it, said once in a warning).
   * Called in arrival order, before the traces are assembled (in parallel), so that the same input
   * gives the same names.
   */
  private String endpointName(RawSpan f) {
    String name = flowName(f);
    if (!name.endsWith(BY_PATH)) {
      return name;
    }
    name = name.substring(0, name.length() - BY_PATH.length());
    Set<String> known = pathEndpoints.computeIfAbsent(f.service, k -> new HashSet<>());
    if (known.contains(name)) {
      return name;
    }
    if (known.size() < MAX_PATH_ENDPOINTS) {
      known.add(name);
      return name;
    }
    if (known.size() == MAX_PATH_ENDPOINTS) {
      known.add("");
      warnings.add(
          "service '"
              + f.service
              + "': over "
              + MAX_PATH_ENDPOINTS
              + " endpoints named by request path (its server spans have no http.route nor"
              + " url.template): further paths are grouped by their first segment ("
              + folded(name)
              + ")");
    }
    return folded(name);
  }

  /** {@code GET /static/css/a.css} becomes {@code GET /static/*}; {@code GET /a} {@code GET /*}. */
  private static String folded(String name) {
    int space = name.indexOf(' ');
    int second = name.indexOf('/', space + 2);
    return second < 0 ? name.substring(0, space + 1) + "/*" : name.substring(0, second) + "/*";
  }

  private static boolean isMethod(String name) {
    switch (name) {
      case "GET":
      case "HEAD":
      case "POST":
      case "PUT":
      case "DELETE":
      case "CONNECT":
      case "OPTIONS":
      case "TRACE":
      case "PATCH":
        return true;
      default:
        return false;
    }
  }

  /** The normalized path of a URL, or null when there is none to be had. */
  private static String pathOf(String url) {
    if (url == null) {
      return null;
    }
    try {
      String path = URI.create(url).getRawPath();
      return path == null || path.isEmpty() ? null : Routes.normalizedPath(path);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Call call(RawSpan s, long start, long end, long shift) {
    String url = s.url != null ? s.url : s.urlPath != null ? s.urlPath : orEmpty(s.urlTemplate);
    if (!s.fromAgent) {
      // reqflow's agent redacts query values itself; another tool's URL may carry them in clear,
      // and the report is made to be pasted into reviews.
      url = Routes.redactedQuery(url);
    }
    String host = s.host;
    int port = (int) s.port;
    if (host == null && s.url != null) {
      try {
        URI uri = URI.create(s.url);
        host = uri.getHost();
        if (port == 0 && uri.getPort() > 0) {
          port = uri.getPort();
        }
      } catch (IllegalArgumentException e) {
        host = null;
      }
    }
    List<Dependency> deps = new ArrayList<>();
    for (int i = 0; i < s.linkCount; i++) {
      DependencyType type = DependencyType.of(s.linkTypes[i]);
      if (type != null) {
        deps.add(new Dependency(s.linkSpanIds[i], type));
      }
    }
    Pool pool = Pool.NONE;
    if (s.poolName != null || s.poolKind != null || s.poolLimit > 0 || s.poolLimitPerHost > 0) {
      pool =
          shared(
              new Pool(
                  orEmpty(s.poolName),
                  PoolKind.of(s.poolKind),
                  (int) s.poolLimit,
                  (int) s.poolLimitPerHost,
                  s.poolCodeFunction == null && s.poolCodeFile == null
                      ? CodeLocation.UNKNOWN
                      : shared(
                          new CodeLocation(
                              orEmpty(s.poolCodeFunction),
                              orEmpty(s.poolCodeFile),
                              (int) s.poolCodeLine))));
    }
    return new Call(
        s.spanId,
        orEmpty(s.method).toUpperCase(Locale.ROOT),
        url,
        orEmpty(host),
        port,
        (int) s.status,
        orEmpty(s.errorType),
        orEmpty(s.client),
        CallMode.of(s.mode),
        start,
        end,
        Phases.of(s, start, end, shift),
        ConnectionReuse.of(s.reused),
        pool,
        site(s),
        thread(s),
        deps,
        orEmpty(s.requestHash),
        orEmpty(s.incomplete));
  }

  private ThreadRef thread(RawSpan s) {
    if (s.threadId < 0 && s.threadName == null) {
      return s.threadRole == null
          ? ThreadRef.UNKNOWN
          : ThreadRef.UNKNOWN.withRole(ThreadRole.of(s.threadRole));
    }
    return shared(new ThreadRef(s.threadId, orEmpty(s.threadName), ThreadRole.of(s.threadRole)));
  }

  private CodeLocation site(RawSpan s) {
    if (s.codeFunction == null && s.codeFile == null) {
      return CodeLocation.UNKNOWN;
    }
    return shared(new CodeLocation(orEmpty(s.codeFunction), orEmpty(s.codeFile), (int) s.codeLine));
  }

  /**
   * Values that many spans repeat (threads, call sites, pools), shared: the flows of a million-span
   * file would otherwise hold a copy of each per span. Bounded, so that a trace where every span
   * has its own thread (virtual threads) costs no more than before.
   */
  private final Map<Object, Object> sharedValues;

  private static final int MAX_SHARED_VALUES = 1 << 16;

  /** The equal value seen before, or {@code value} itself. Traces assemble in parallel. */
  @SuppressWarnings("unchecked")
  private <T> T shared(T value) {
    Object prior = sharedValues.get(value);
    if (prior != null) {
      return (T) prior;
    }
    if (sharedValues.size() >= MAX_SHARED_VALUES) {
      return value;
    }
    prior = sharedValues.putIfAbsent(value, value);
    return prior == null ? value : (T) prior;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
