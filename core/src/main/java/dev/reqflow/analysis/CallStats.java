package dev.reqflow.analysis;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.CodeLocation;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Phase;
import dev.reqflow.flow.PhaseKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the flows analysed together say about each call, beyond its own flow: the durations of the
 * same call on the same endpoint (for timeouts), how much later a new connection answers than a
 * reused one (handshakes), and how many connections to a host a shared client would have kept open
 * when a flow began.
 *
 * <p>A flow's history is the flows of its own endpoint (durations) or service (connections) in the
 * input, whatever else is analysed with it and in whatever order: the suggestions of a flow depend
 * on that set only. Warm-up is left out of durations: the first call of its kind in the input, and
 * calls that opened a connection where later ones of their kind reused one.
 */
final class CallStats {
  private final Map<Key, long[]> sorted;
  private final Map<String, Long> handshake;
  private final Map<Flow, Map<String, Integer>> pooledAtStart;
  private final Set<Call> openedWhileIdle;
  private final Set<Call> openedWhileIdleAsRecorded;
  private final Set<Call> warmUp;
  private final Map<String, long[][]> poolDemand;
  private final Map<String, Long> openSetup;
  private final Map<String, Long> openDiff;
  private final Map<String, Long> bodyByRequest;
  private final Map<String, Long> bodyByHost;
  private final Set<String> reusedHosts;
  private final Set<String> comparedHosts;

  /**
   * What makes two calls "the same call": the endpoint (service and flow name) that made it, the
   * site, method, host and path without the query.
   */
  record Key(String service, String endpoint, CodeLocation site, String method, String where) {
    @Override
    public String toString() {
      return site.label() + " " + method + " " + where;
    }
  }

  private CallStats(
      Map<Key, long[]> sorted,
      Map<String, Long> handshake,
      Map<Flow, Map<String, Integer>> pooledAtStart,
      Set<Call> openedWhileIdle,
      Set<Call> openedWhileIdleAsRecorded,
      Set<Call> warmUp,
      Map<String, long[][]> poolDemand,
      Map<String, Long> openSetup,
      Map<String, Long> openDiff,
      Map<String, Long> bodyByRequest,
      Map<String, Long> bodyByHost) {
    this.openSetup = openSetup;
    this.openDiff = openDiff;
    this.bodyByRequest = bodyByRequest;
    this.bodyByHost = bodyByHost;
    this.sorted = sorted;
    this.handshake = handshake;
    this.pooledAtStart = pooledAtStart;
    this.openedWhileIdle = openedWhileIdle;
    this.openedWhileIdleAsRecorded = openedWhileIdleAsRecorded;
    this.warmUp = warmUp;
    this.poolDemand = poolDemand;
    this.reusedHosts = new java.util.HashSet<>();
    this.comparedHosts = new java.util.HashSet<>();
  }

  /** A growing array of durations. */
  private static final class Samples {
    long[] values = new long[8];
    int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] sorted() {
      long[] a = Arrays.copyOf(values, size);
      Arrays.sort(a);
      return a;
    }
  }

  static CallStats of(List<Flow> input) {
    // In time order, so that "first" and "earlier" mean the same whatever order flows came in.
    List<Flow> flows = new ArrayList<>(input);
    // A flow in progress: its calls end at its snapshot, which says nothing of their usual time.
    flows.removeIf(Flow::inProgress);
    flows.sort(Comparator.comparingLong(Flow::startNanos).thenComparing(Flow::traceId));
    Set<Call> warmUp = warmUp(flows);
    Map<Key, Samples> raw = new HashMap<>();
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        if (!warmUp.contains(c)) {
          raw.computeIfAbsent(key(f, c), k -> new Samples()).add(c.durationNanos());
          if (!c.requestHash().isEmpty()) {
            raw.computeIfAbsent(requestKey(f, c), k -> new Samples()).add(c.durationNanos());
          }
        }
      }
    }
    Map<Key, long[]> out = new HashMap<>(raw.size() * 2);
    raw.forEach((k, v) -> out.put(k, v.sorted()));
    Set<Call> idle = openedWhileIdle(flows, false);
    boolean anyNotClosed =
        flows.stream().flatMap(f -> f.calls().stream()).anyMatch(Call::responseNotClosed);
    Set<String> compared = new java.util.HashSet<>();
    CallStats stats =
        new CallStats(
            out,
            handshakes(flows, compared),
            pooledAtStart(flows),
            idle,
            anyNotClosed ? openedWhileIdle(flows, true) : idle,
            warmUp,
            poolDemand(flows),
            medians(flows, true, false),
            openDiffs(flows),
            medians(flows, false, false),
            medians(flows, false, true));
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        if (c.connectionReuse() == ConnectionReuse.REUSED) {
          stats.reusedHosts.add(host(f, c));
        }
      }
    }
    stats.comparedHosts.addAll(compared);
    return stats;
  }

  /**
   * Whether any call to the call's host (per service) reused a connection in the input: without
   * one, nothing shows what a new connection costs a first response beyond its DNS, connect and TLS
   * phases (a remote host's handshake, a server's accept).
   */
  boolean reuseSeen(Flow f, Call c) {
    return reusedHosts.contains(host(f, c));
  }

  /**
   * Whether the input compared new and reused connections to the call's host (a request seen at
   * least {@link #MIN_HANDSHAKE_SAMPLES} times each way): where it did not, {@link #handshakeNanos}
   * is 0 for not knowing, not for knowing a new connection's first response as fast.
   */
  boolean handshakeKnown(Flow f, Call c) {
    return comparedHosts.contains(host(f, c));
  }

  /**
   * Whether {@link #bodyNanos} is the same request's download (true) or other requests' to the host
   * (false, or none known): a body's time is its own request's, others' say nothing of its size.
   */
  boolean bodyOfSameRequestSeen(Flow f, Call c) {
    return bodyByRequest.containsKey(request(f, c));
  }

  /**
   * Medians per service and host ({@code setup}: the DNS, connect and TLS time of the calls that
   * opened a connection) or per service and request, or host ({@code byHost}) (the download of the
   * calls whose response was read or closed: first byte to the body's end).
   */
  private static Map<String, Long> medians(List<Flow> flows, boolean setup, boolean byHost) {
    Map<String, Samples> raw = new HashMap<>();
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        long v;
        if (setup) {
          if (c.connectionReuse() != ConnectionReuse.NEW || (v = c.connectionSetupNanos()) <= 0) {
            continue;
          }
        } else if (!c.incomplete().isEmpty()
            || !c.error().isEmpty()
            || (v = c.phaseNanos(PhaseKind.DOWNLOAD)) <= 0) {
          continue;
        }
        raw.computeIfAbsent(setup || byHost ? host(f, c) : request(f, c), k -> new Samples())
            .add(v);
      }
    }
    Map<String, Long> out = new HashMap<>(raw.size() * 2);
    raw.forEach((k, v) -> out.put(k, Percentiles.nearestRank(v.sorted(), 0.5)));
    return out;
  }

  /**
   * What opening a connection to the call's host costs a call, in nanoseconds: how much longer the
   * same request takes on a new connection than on a reused one, from its first phase after its
   * queue (per request seen often enough both ways, whole calls only, the difference of the
   * medians; for the host, the median of those), which holds the connect, the handshake and
   * whatever else a new connection changes (a first response that does not wait for a delayed ACK);
   * else the median DNS, connect and TLS time of the calls that opened one there and the later
   * first byte of a new connection ({@link #handshakeNanos}); 0 when the recordings show none of
   * it.
   */
  long openNanos(Flow f, Call c) {
    Long d = openDiff.get(host(f, c));
    if (d != null) {
      return d;
    }
    return openSetup.getOrDefault(host(f, c), 0L) + handshakeNanos(f, c);
  }

  /**
   * When the client began the call's own work: its first phase after its queue, else its issue. A
   * call's span may hold a wait before that (a task's call waiting for a lock): not the call's.
   */
  private static long activeFrom(Call c) {
    for (Phase p : c.phases()) {
      if (p.kind() != PhaseKind.QUEUED) {
        return p.startNanos();
      }
    }
    return c.startNanos();
  }

  /** Per service and host, see {@link #openNanos}: absent where too few calls say. */
  private static Map<String, Long> openDiffs(List<Flow> flows) {
    Map<String, Samples> fresh = new HashMap<>();
    Map<String, Samples> reused = new HashMap<>();
    Map<String, String> hostOf = new HashMap<>();
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        if (!c.incomplete().isEmpty() || c.failed()) {
          continue;
        }
        Map<String, Samples> into =
            c.connectionReuse() == ConnectionReuse.NEW
                ? fresh
                : c.connectionReuse() == ConnectionReuse.REUSED ? reused : null;
        if (into == null) {
          continue;
        }
        String k = request(f, c);
        hostOf.putIfAbsent(k, host(f, c));
        into.computeIfAbsent(k, x -> new Samples()).add(c.endNanos() - activeFrom(c));
      }
    }
    Map<String, Samples> byHost = new HashMap<>();
    fresh.forEach(
        (k, news) -> {
          Samples olds = reused.get(k);
          if (olds != null
              && olds.size >= MIN_HANDSHAKE_SAMPLES
              && news.size >= MIN_HANDSHAKE_SAMPLES) {
            long d =
                Percentiles.nearestRank(news.sorted(), 0.5)
                    - Percentiles.nearestRank(olds.sorted(), 0.5);
            byHost.computeIfAbsent(hostOf.get(k), h -> new Samples()).add(d);
          }
        });
    Map<String, Long> out = new HashMap<>();
    byHost.forEach(
        (host, diffs) -> out.put(host, Math.max(0, Percentiles.nearestRank(diffs.sorted(), 0.5))));
    return out;
  }

  /**
   * How long the call's body takes to arrive after its first byte, in nanoseconds: the median
   * download of the same request (method and URL without query) where the service read or closed
   * its response, else of any to the same host; -1 when no such call was recorded.
   */
  long bodyNanos(Flow f, Call c) {
    Long v = bodyByRequest.get(request(f, c));
    if (v == null) {
      v = bodyByHost.get(host(f, c));
    }
    return v == null ? -1 : v;
  }

  /**
   * Per service and pool (by name, with a known limit): when each call of any flow asked for a slot
   * (its issue) and gave it back (its end), the starts and the ends each sorted.
   */
  private static Map<String, long[][]> poolDemand(List<Flow> flows) {
    Map<String, Samples[]> raw = new HashMap<>();
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        if (c.pool().limit() > 0 && !c.pool().name().isEmpty()) {
          Samples[] s =
              raw.computeIfAbsent(
                  pool(f, c.pool().name()), k -> new Samples[] {new Samples(), new Samples()});
          s[0].add(c.startNanos());
          s[1].add(c.endNanos());
        }
      }
    }
    Map<String, long[][]> out = new HashMap<>(raw.size() * 2);
    raw.forEach((k, v) -> out.put(k, new long[][] {v[0].sorted(), v[1].sorted()}));
    return out;
  }

  private static String pool(Flow f, String poolName) {
    return f.service() + "\u0000" + poolName;
  }

  /**
   * The most calls of the service's flows in the input (this one's and others') that wanted a slot
   * of the pool at once, while this flow ran: the limit at which none of them would have queued. It
   * depends on which flows overlapping this one in time were recorded together with it, not on
   * their order; 0 when the pool is unknown.
   */
  int poolPeak(Flow f, String poolName) {
    long[][] d = poolDemand.get(pool(f, poolName));
    if (d == null) {
      return 0;
    }
    long[] starts = d[0];
    long[] ends = d[1];
    // In flight at the flow's start, then at each start within it; an end at a start frees first.
    int max = countAtMost(starts, f.startNanos()) - countAtMost(ends, f.startNanos());
    for (int k = countAtMost(starts, f.startNanos()); k < starts.length; k++) {
      if (starts[k] > f.endNanos()) {
        break;
      }
      max = Math.max(max, (k + 1) - countAtMost(ends, starts[k]));
    }
    return max;
  }

  /** How many of the sorted values are at most {@code t}. */
  private static int countAtMost(long[] sorted, long t) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Calls that tell nothing of a call's usual time: the first of each kind in the input (class
   * loading, JIT), and those on a new connection when later calls of their kind reused one (a cold
   * connection pool).
   */
  private static Set<Call> warmUp(List<Flow> flows) {
    Map<Key, Boolean> seen = new HashMap<>();
    Map<Key, Boolean> reusedLater = new HashMap<>();
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        if (c.connectionReuse() == ConnectionReuse.REUSED) {
          reusedLater.put(key(f, c), true);
        }
      }
    }
    Set<Call> out = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        Key k = key(f, c);
        if (seen.put(k, true) == null
            || (c.connectionReuse() == ConnectionReuse.NEW && reusedLater.containsKey(k))) {
          out.add(c);
        }
      }
    }
    return out;
  }

  /** Fewer samples than this of new or of reused connections say nothing about handshakes. */
  static final int MIN_HANDSHAKE_SAMPLES = 3;

  /**
   * Per service and host, how much later the first byte comes on a new connection than on a reused
   * one: what a server or a remote handshake costs that the connect phases do not show. For each
   * request (method and URL without query) seen often enough both ways, the difference of the
   * medians; for the host, the median of those differences, which one noisy request cannot move.
   */
  private static Map<String, Long> handshakes(List<Flow> flows, Set<String> compared) {
    // New connections first: most pages reuse theirs, and then there is nothing to compare.
    Map<String, Samples> fresh = new HashMap<>();
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        long wait;
        if (c.connectionReuse() == ConnectionReuse.NEW
            && (wait = c.phaseNanos(PhaseKind.SERVER)) > 0) {
          fresh.computeIfAbsent(request(f, c), k -> new Samples()).add(wait);
        }
      }
    }
    if (fresh.isEmpty()) {
      return Map.of();
    }
    Map<String, Samples> reused = new HashMap<>();
    Map<String, String> hostOf = new HashMap<>();
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        long wait;
        String k = request(f, c);
        hostOf.putIfAbsent(k, host(f, c));
        if (c.connectionReuse() == ConnectionReuse.REUSED
            && (wait = c.phaseNanos(PhaseKind.SERVER)) > 0
            && fresh.containsKey(k)) {
          reused.computeIfAbsent(k, x -> new Samples()).add(wait);
        }
      }
    }
    Map<String, Samples> byHost = new HashMap<>();
    fresh.forEach(
        (k, news) -> {
          Samples olds = reused.get(k);
          if (olds != null
              && olds.size >= MIN_HANDSHAKE_SAMPLES
              && news.size >= MIN_HANDSHAKE_SAMPLES) {
            long d =
                Percentiles.nearestRank(news.sorted(), 0.5)
                    - Percentiles.nearestRank(olds.sorted(), 0.5);
            byHost.computeIfAbsent(hostOf.get(k), h -> new Samples()).add(d);
          }
        });
    compared.addAll(byHost.keySet());
    Map<String, Long> out = new HashMap<>();
    byHost.forEach(
        (host, diffs) -> {
          long d = Percentiles.nearestRank(diffs.sorted(), 0.5);
          if (d > 0) {
            out.put(host, d);
          }
        });
    return out;
  }

  /**
   * The calls that opened a connection while a client shared by the service would have had one idle
   * for their host: per service and host, over every call of every flow in time order, a connection
   * is taken when a call leaves its queue and given back at its end (a release first on a tie); the
   * shared client holds as many connections as were ever in use at once before, and those not in
   * use by any flow's call at that moment are idle. A cold pool's first connections, and calls made
   * while the other flows running held every connection (concurrent pages), are not avoidable.
   * {@code asRecorded}: a response never closed keeps its connection for good, as it happened;
   * without it, it gives it back at its call's end, as closing it there would have.
   */
  private static Set<Call> openedWhileIdle(List<Flow> flows, boolean asRecorded) {
    record Use(long at, boolean take, Call call) {}
    Map<String, List<Use>> byHost = new HashMap<>();
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        List<Use> uses = byHost.computeIfAbsent(host(f, c), h -> new ArrayList<>());
        long[] t = connectionTime(c);
        uses.add(new Use(t[0], true, c));
        if (!asRecorded || !c.responseNotClosed()) {
          uses.add(new Use(t[1], false, c));
        }
      }
    }
    Set<Call> out = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (List<Use> uses : byHost.values()) {
      uses.sort(Comparator.comparingLong(Use::at).thenComparing(u -> u.take()));
      int inUse = 0;
      int open = 0;
      for (Use u : uses) {
        if (!u.take()) {
          inUse--;
        } else {
          if (open > inUse && IdleConnections.opened(u.call())) {
            out.add(u.call());
          }
          inUse++;
          open = Math.max(open, inUse);
        }
      }
    }
    return out;
  }

  /**
   * Per flow and host, the connections a client shared by the service would have had open to that
   * host when the flow began: as many as any flow of the service that had ended by then had calls
   * to it in flight at once, had every response been closed (for the what-if's connections, {@link
   * ConnectionsNeeded}).
   */
  private static Map<Flow, Map<String, Integer>> pooledAtStart(List<Flow> flows) {
    Map<Flow, Map<String, Integer>> out = new IdentityHashMap<>();
    Map<String, Map<String, Integer>> byService = new HashMap<>();
    // Only flows that had ended when a flow began left their connections idle for it: flows still
    // in flight held theirs (four pages started at once each open their own, none of them
    // avoidably).
    java.util.PriorityQueue<Flow> running =
        new java.util.PriorityQueue<>(Comparator.comparingLong(Flow::endNanos));
    for (Flow f : flows) {
      while (!running.isEmpty() && running.peek().endNanos() <= f.startNanos()) {
        Flow done = running.poll();
        Map<String, Integer> open = byService.computeIfAbsent(done.service(), s -> new HashMap<>());
        concurrency(done, false).forEach((host, n) -> open.merge(host, n, Math::max));
      }
      out.put(f, Map.copyOf(byService.getOrDefault(f.service(), Map.of())));
      running.add(f);
    }
    return out;
  }

  /** Per host, the most calls of the flow in flight at once. */
  static Map<String, Integer> concurrency(Flow f) {
    return concurrency(f, false);
  }

  /** As above; {@code withoutNotClosed} leaves out the calls whose response was never closed. */
  private static Map<String, Integer> concurrency(Flow f, boolean withoutNotClosed) {
    Map<String, List<long[]>> byHost = new HashMap<>();
    for (Call c : f.calls()) {
      if (withoutNotClosed && c.responseNotClosed()) {
        continue;
      }
      byHost.computeIfAbsent(c.hostPort(), h -> new ArrayList<>()).add(connectionTime(c));
    }
    Map<String, Integer> out = new HashMap<>();
    byHost.forEach(
        (host, spans) -> {
          List<long[]> edges = new ArrayList<>();
          for (long[] s : spans) {
            edges.add(new long[] {s[0], 1});
            edges.add(new long[] {s[1], -1});
          }
          edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
          int now = 0;
          int max = 0;
          for (long[] e : edges) {
            now += (int) e[1];
            max = Math.max(max, now);
          }
          out.put(host, max);
        });
    return out;
  }

  /** When a call held a connection: from the end of its queue to its end. */
  static long[] connectionTime(Call c) {
    return new long[] {c.startNanos() + c.phaseNanos(PhaseKind.QUEUED), c.endNanos()};
  }

  /**
   * Connections to {@code host} a shared client would have had open when {@code f} began, had every
   * earlier response been closed.
   */
  int pooledAtStart(Flow f, String host) {
    Map<String, Integer> m = pooledAtStart.get(f);
    return m == null ? 0 : m.getOrDefault(host, 0);
  }

  /**
   * True when {@code c} opened a connection while a client shared by the service would have had one
   * idle for its host, had every earlier response been closed.
   */
  boolean openedWhileIdle(Call c) {
    return openedWhileIdle.contains(c);
  }

  /**
   * As {@link #openedWhileIdle}, with the connections that responses never closed kept for good:
   * what a shared client could have had, the leaks as they happened.
   */
  boolean openedWhileIdleAsRecorded(Call c) {
    return openedWhileIdleAsRecorded.contains(c);
  }

  private static String host(Flow f, Call c) {
    return f.service() + "\u0000" + c.hostPort();
  }

  private static String request(Flow f, Call c) {
    String url = c.url();
    int q = url.indexOf('?');
    return f.service() + "\u0000" + c.method() + " " + (q >= 0 ? url.substring(0, q) : url);
  }

  /** Extra wait for the first byte on a new connection to this call's host, or 0 when unknown. */
  long handshakeNanos(Flow f, Call c) {
    if (handshake.isEmpty()) {
      return 0;
    }
    return handshake.getOrDefault(host(f, c), 0L);
  }

  static Key key(Flow f, Call c) {
    String url = c.url();
    int q = url.indexOf('?');
    if (q >= 0) {
      url = url.substring(0, q);
    }
    return new Key(
        f.service(), f.name(), c.callSite(), c.method(), url.isEmpty() ? c.hostPort() : url);
  }

  /** True for a call that tells nothing of its kind's usual time (see {@link #warmUp}). */
  boolean warmUp(Call c) {
    return warmUp.contains(c);
  }

  /**
   * The call's durations on its endpoint, warm-up left out, sorted; empty when none. Those of the
   * very same request (its hash) when there are at least {@code enough} of them: a page that asks
   * one product that is always slow and two that are fast has no tail, though the three share a
   * path.
   */
  long[] durations(Flow f, Call c, int enough) {
    if (!c.requestHash().isEmpty()) {
      long[] same = sorted.get(requestKey(f, c));
      if (same != null && same.length >= enough) {
        return same;
      }
    }
    long[] a = sorted.get(key(f, c));
    return a == null ? new long[0] : a;
  }

  /**
   * {@link TimeoutSlowCallRule#body} of an array {@link #durations} gave, computed once per array:
   * every flow of an endpoint asks for the same one, and computing it each time made the analysis
   * of 100,000 flows quadratic.
   */
  long[] bodyOf(long[] sorted) {
    return bodies.computeIfAbsent(sorted, TimeoutSlowCallRule::body);
  }

  private final Map<long[], long[]> bodies =
      java.util.Collections.synchronizedMap(new IdentityHashMap<>());

  /** {@link #key} narrowed to one request: its hash in place of the path. */
  private static Key requestKey(Flow f, Call c) {
    return new Key(f.service(), f.name(), c.callSite(), c.method(), "#" + c.requestHash());
  }
}
