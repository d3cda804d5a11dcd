package dev.reqflow.flow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds flows from ASCII timelines, so that a test shows the flow it is about. One line per lane
 * or call; the drawing sits between two {@code |}, one character per tick (10 ms unless told),
 * column 0 being the flow's start; {@code key=value} attributes follow.
 *
 * <pre>
 * render |==aaaa==BBBB==|  B=b+c
 * a      |qsss          |
 * b      |      ssss    |  after-wait=a host=cart:80
 * c      |      ssss    |
 * </pre>
 *
 * <ul>
 *   <li>{@code render} (and any label longer than one character) is a thread: {@code =} running, a
 *       lower-case letter blocked on that call, an upper-case letter blocked on the calls that
 *       {@code X=a+b} names. The render line's length is the flow's duration. {@code role=...} sets
 *       a thread's role (the render thread's is {@code render}; on its line, the role of its waits,
 *       as a WebFlux page rendering on an event loop records them); {@code in-X=a} says the wait X
 *       ran in the callback of call a; {@code reads=X+Y} says the waits X and Y were the thread
 *       reading a response body ({@code body.read}). {@code #} blocked in socket I/O that no
 *       recorded call explains; {@code @} waiting on a future that thread {@code io-1}, working for
 *       no flow, completed; {@code ~} waiting on something no recorded call released. On the render
 *       line, {@code unseen-socket=MS}, {@code unseen-ops=N}, {@code unseen-wait=MS} and {@code
 *       libraries=A,B} (underscores for spaces) are what the agent did not see as calls; {@code
 *       unseen-lock-waits=jfr-starting} says its waits for monitors could not be recorded; {@code
 *       service=B flow-id=fb parent=a start-ms=N} make the flow one of service B, its span {@code
 *       fb}, the child of call span {@code a} of another flow of the trace, starting N ms after
 *       that flow's column 0. {@code %} is a wait for the lock that {@code lock=CLASS} names (a
 *       monitor; {@code lock-kind=lock.park} for a {@code java.util.concurrent} lock), at line
 *       {@code lock-site=N} of {@code app.Client.get}, held by the calls {@code held-by=a+b} names,
 *       if any. {@code sampled=sample=0.1,keep.slow/slower_than_p90} says the agent's sampling (its
 *       options, then why it kept the flow).
 *   <li>A one-letter label is a call, issued at its first drawn column: {@code q} queued, {@code n}
 *       dns, {@code c} connect, {@code t} tls, {@code >} send, {@code s} server, {@code d}
 *       download, {@code -} unknown phase. Attributes: {@code after-wait=a}, {@code callback=a},
 *       {@code data=a}, {@code hash=H} (the agent's request hash), {@code
 *       pool=name/kind/limit[/perHost]}, {@code pool-created=N} (the pool made at line N of {@code
 *       app.Pools.<clinit>}), {@code host=h:p}, {@code url=...}, {@code method=...}, {@code
 *       thread=name}, {@code reused} or {@code new}, {@code site=line}, {@code mode=sync|async},
 *       {@code status=...}, {@code error=...}, {@code client=...} (default {@code okhttp}), {@code
 *       incomplete=unclosed|unreachable|exit} (the agent ended it: its response was never closed,
 *       or the process exited).
 * </ul>
 */
public final class Timeline {
  public static final long T0 = 1_700_000_000_000_000_000L;
  public static final long MS = 1_000_000L;

  private Timeline() {}

  /** Parses with 10 ms per character. */
  public static Flow parse(String... lines) {
    return parse(10, "GET /page", "trace-1", lines);
  }

  public static Flow parse(long msPerTick, String name, String traceId, String... lines) {
    long tick = msPerTick * MS;
    Map<String, ThreadRef> threads = new HashMap<>();
    ThreadRef render = new ThreadRef(1, "render", ThreadRole.RENDER);
    threads.put("render", render);
    Map<String, String> own = new HashMap<>();
    for (String raw : lines) {
      if (raw.stripLeading().startsWith("render ") && raw.indexOf('|', raw.indexOf('|') + 1) > 0) {
        own = attrs(raw.substring(raw.indexOf('|', raw.indexOf('|') + 1) + 1));
      }
    }
    long t0 = T0 + Long.parseLong(own.getOrDefault("start-ms", "0")) * MS;
    Flow.Builder flow =
        Flow.builder(traceId, own.getOrDefault("flow-id", "flow"))
            .name(name)
            .service(own.getOrDefault("service", "page-service"))
            .parentSpanId(own.getOrDefault("parent", ""));
    flow.waitsRecorded(true);
    long flowEnd = t0;
    int blockNo = 0;
    int callNo = 0;
    List<String[]> threadLines = new ArrayList<>();
    for (String raw : lines) {
      int open = raw.indexOf('|');
      int close = raw.indexOf('|', open + 1);
      if (open < 0 || close < 0) {
        throw new IllegalArgumentException("no |drawing| in: " + raw);
      }
      String label = raw.substring(0, open).trim();
      String art = raw.substring(open + 1, close);
      Map<String, String> attrs = attrs(raw.substring(close + 1));
      if (label.length() == 1) {
        flow.addCall(call(label, art, attrs, tick, t0, threads, render, callNo++));
      } else {
        threadLines.add(new String[] {label, art, raw.substring(close + 1)});
        if (label.equals("render")) {
          flowEnd = Math.max(flowEnd, t0 + art.stripTrailing().length() * tick);
        }
      }
    }
    for (String[] tl : threadLines) {
      Map<String, String> attrs = attrs(tl[2]);
      if (tl[0].equals("render")) {
        flow.unseen(unseen(attrs));
        String sampled = attrs.get("sampled");
        if (sampled != null) {
          int slash = sampled.lastIndexOf('/');
          flow.sampling(new Sampling(sampled.substring(0, slash), sampled.substring(slash + 1)));
        }
      }
      // The render thread's waits take the role its line gives (an event loop that renders).
      ThreadRef thread =
          tl[0].equals("render") && attrs.containsKey("role")
              ? render.withRole(ThreadRole.of(attrs.get("role")))
              : thread(tl[0], attrs.get("role"), threads);
      String art = tl[1];
      int i = 0;
      while (i < art.length()) {
        char ch = art.charAt(i);
        if (ch == '%') {
          int j = i;
          while (j < art.length() && art.charAt(j) == ch) {
            j++;
          }
          blockNo++;
          String heldBy = attrs.getOrDefault("held-by", "");
          flow.addBlock(
              new Block(
                  "lock-" + blockNo,
                  thread,
                  attrs.getOrDefault("lock-kind", "monitor.enter"),
                  t0 + i * tick,
                  t0 + j * tick,
                  new CodeLocation(
                      "app.Client.get",
                      "Client.java",
                      Integer.parseInt(attrs.getOrDefault("lock-site", "50"))),
                  heldBy.isEmpty() ? List.of() : List.of(heldBy.split("\\+")),
                  List.of(),
                  "",
                  attrs.getOrDefault("lock", "")));
          i = j;
          continue;
        }
        if (!Character.isLetter(ch) && ch != '#' && ch != '@' && ch != '~') {
          i++;
          continue;
        }
        int j = i;
        while (j < art.length() && art.charAt(j) == ch) {
          j++;
        }
        if (ch == '~') {
          blockNo++;
          flow.addBlock(
              new Block(
                  "block-" + blockNo,
                  thread,
                  "async.response",
                  t0 + i * tick,
                  t0 + j * tick,
                  new CodeLocation("app.Page.render", "Page.java", 10 + blockNo),
                  List.of()));
          i = j;
          continue;
        }
        if (ch == '#' || ch == '@') {
          blockNo++;
          flow.addBlock(
              new Block(
                  "block-" + blockNo,
                  thread,
                  ch == '#' ? Block.SOCKET_READ : "completable.get",
                  t0 + i * tick,
                  t0 + j * tick,
                  new CodeLocation("app.Dao.load", "Dao.java", 40 + blockNo),
                  List.of(),
                  ch == '@' ? "io-1" : ""));
          i = j;
          continue;
        }
        List<String> released =
            Character.isUpperCase(ch)
                ? List.of(attrs.getOrDefault(String.valueOf(ch), "").split("\\+"))
                : List.of(String.valueOf(ch));
        blockNo++;
        String in = attrs.get("in-" + ch);
        boolean bodyRead =
            List.of(attrs.getOrDefault("reads", "").split("\\+")).contains(String.valueOf(ch));
        flow.addBlock(
            new Block(
                "block-" + blockNo,
                thread,
                bodyRead ? Block.BODY_READ : "future.get",
                t0 + i * tick,
                t0 + j * tick,
                new CodeLocation("app.Page.render", "Page.java", 10 + blockNo),
                released,
                in == null ? List.of() : List.of(in.split("\\+"))));
        i = j;
      }
    }
    return flow.time(t0, flowEnd).renderThread(render).build();
  }

  private static ThreadRef thread(String name, String role, Map<String, ThreadRef> threads) {
    return threads.computeIfAbsent(
        name,
        n ->
            new ThreadRef(
                threads.size() + 1, n, role == null ? ThreadRole.EXECUTOR : ThreadRole.of(role)));
  }

  private static Call call(
      String id,
      String art,
      Map<String, String> a,
      long tick,
      long t0,
      Map<String, ThreadRef> threads,
      ThreadRef render,
      int n) {
    int first = -1;
    int last = -1;
    for (int i = 0; i < art.length(); i++) {
      if (art.charAt(i) != ' ') {
        if (first < 0) {
          first = i;
        }
        last = i;
      }
    }
    if (first < 0) {
      throw new IllegalArgumentException("call " + id + " has no drawing");
    }
    List<Phase> phases = new ArrayList<>();
    int i = first;
    while (i <= last) {
      char ch = art.charAt(i);
      int j = i;
      while (j <= last && art.charAt(j) == ch) {
        j++;
      }
      PhaseKind kind = phase(ch);
      if (kind != null) {
        phases.add(new Phase(kind, t0 + i * tick, t0 + j * tick));
      }
      i = j;
    }
    List<Dependency> deps = new ArrayList<>();
    for (String d : a.getOrDefault("after-wait", "").split("\\+")) {
      if (!d.isEmpty()) {
        deps.add(new Dependency(d, DependencyType.AFTER_WAIT));
      }
    }
    for (String d : a.getOrDefault("callback", "").split("\\+")) {
      if (!d.isEmpty()) {
        deps.add(new Dependency(d, DependencyType.CALLBACK));
      }
    }
    for (String d : a.getOrDefault("data", "").split("\\+")) {
      if (!d.isEmpty()) {
        deps.add(new Dependency(d, DependencyType.DATA));
      }
    }
    Pool pool = Pool.NONE;
    if (a.containsKey("pool")) {
      String[] p = a.get("pool").split("/");
      pool =
          new Pool(
              p[0],
              PoolKind.of(p[1]),
              Integer.parseInt(p[2]),
              p.length > 3 ? Integer.parseInt(p[3]) : 0,
              a.containsKey("pool-created")
                  ? new CodeLocation(
                      "app.Pools.<clinit>", "Pools.java", Integer.parseInt(a.get("pool-created")))
                  : CodeLocation.UNKNOWN);
    }
    String hostPort = a.getOrDefault("host", "backend-" + id + ":8080");
    int colon = hostPort.lastIndexOf(':');
    String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
    int port = colon < 0 ? 0 : Integer.parseInt(hostPort.substring(colon + 1));
    ConnectionReuse reuse =
        a.containsKey("reused")
            ? ConnectionReuse.REUSED
            : a.containsKey("new") ? ConnectionReuse.NEW : ConnectionReuse.UNKNOWN;
    ThreadRef thread =
        a.containsKey("thread") ? thread(a.get("thread"), a.get("role"), threads) : render;
    int line = Integer.parseInt(a.getOrDefault("site", String.valueOf(100 + n)));
    return new Call(
        id,
        a.getOrDefault("method", "GET"),
        a.getOrDefault("url", "http://" + hostPort + "/" + id),
        host,
        port,
        Integer.parseInt(a.getOrDefault("status", "200")),
        a.getOrDefault("error", ""),
        a.getOrDefault("client", "okhttp"),
        a.containsKey("mode") ? CallMode.of(a.get("mode")) : CallMode.ASYNC,
        t0 + first * tick,
        t0 + (last + 1) * tick,
        phases,
        reuse,
        pool,
        new CodeLocation("app.Page.render", "Page.java", line),
        thread,
        deps,
        a.getOrDefault("hash", ""),
        a.getOrDefault("incomplete", ""));
  }

  private static PhaseKind phase(char ch) {
    switch (ch) {
      case 'q':
        return PhaseKind.QUEUED;
      case 'n':
        return PhaseKind.DNS;
      case 'c':
        return PhaseKind.CONNECT;
      case 't':
        return PhaseKind.TLS;
      case '>':
        return PhaseKind.SEND;
      case 's':
        return PhaseKind.SERVER;
      case 'd':
        return PhaseKind.DOWNLOAD;
      case '-':
        return null;
      default:
        throw new IllegalArgumentException("unknown phase character '" + ch + "'");
    }
  }

  private static Unseen unseen(Map<String, String> a) {
    List<String> libraries = new ArrayList<>();
    for (String l : a.getOrDefault("libraries", "").split(",")) {
      if (!l.isEmpty()) {
        libraries.add(l.replace('_', ' '));
      }
    }
    return new Unseen(
        Long.parseLong(a.getOrDefault("unseen-socket", "0")) * MS,
        Long.parseLong(a.getOrDefault("unseen-ops", "0")),
        Long.parseLong(a.getOrDefault("unseen-wait", "0")) * MS,
        libraries,
        a.getOrDefault("unseen-lock-waits", ""));
  }

  private static Map<String, String> attrs(String text) {
    Map<String, String> out = new HashMap<>();
    for (String kv : text.trim().split("\\s+")) {
      if (kv.isEmpty()) {
        continue;
      }
      int eq = kv.indexOf('=');
      if (eq < 0) {
        out.put(kv, "");
      } else {
        out.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return out;
  }
}
