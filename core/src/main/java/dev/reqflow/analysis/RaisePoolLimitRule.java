package dev.reqflow.analysis;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Phase;
import dev.reqflow.flow.PhaseKind;
import dev.reqflow.flow.Pool;
import dev.reqflow.flow.PoolKind;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An executor, dispatcher, per-host limit or connection pool that made calls queue. Connection
 * pools (a limit per route and one in total) are worded by {@link ConnectionPoolLimits}.
 */
final class RaisePoolLimitRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    Map<String, List<Call>> byPool = new LinkedHashMap<>();
    for (Call c : ctx.flow.calls()) {
      Pool p = c.pool();
      if (p.limit() > 0 || p.limitPerHost() > 0) {
        // By name: the agent marks calls that a per-host limit queued with kind per-host, but
        // they belong to the same dispatcher.
        byPool.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(c);
      }
    }
    List<Suggestion> out = new ArrayList<>();
    for (List<Call> calls : byPool.values()) {
      long queued = 0;
      List<Call> waited = new ArrayList<>();
      for (Call c : calls) {
        long q = c.phaseNanos(PhaseKind.QUEUED);
        if (q > 0) {
          queued += q;
          waited.add(c);
        }
      }
      if (waited.isEmpty() || queuedForStuckThreads(ctx, waited) * 2 >= queued) {
        // Calls that queued because callbacks blocked the client's threads (which keep their
        // slots), or because work blocked the common pool, need those waits gone, not a larger
        // limit: the blocking-wait rule says so.
        continue;
      }
      Pool pool = calls.get(0).pool();
      for (Call c : calls) {
        if (!c.pool().kind().perDestination()) {
          pool = c.pool();
          break;
        }
      }
      PoolKind wide = pool.kind().whole();
      if (wide == PoolKind.CONNECTION_POOL) {
        Suggestion s = ConnectionPoolLimits.suggest(ctx, pool, calls, waited, queued);
        if (s != null) {
          out.add(s);
        }
        continue;
      }
      Suggestion best = null;
      if (pool.limit() > 0 && calls.size() > pool.limit()) {
        best = make(ctx, pool, wide, pool.limit(), calls.size(), calls, waited, queued, "");
      }
      Suggestion shared = behindOtherFlows(ctx, pool, wide, calls, waited, queued);
      if (shared != null && (best == null || shared.savingNanos() > best.savingNanos())) {
        best = shared;
      }
      int perHost = maxPerHost(calls);
      if (pool.limitPerHost() > 0 && perHost > pool.limitPerHost()) {
        Suggestion s =
            make(
                ctx,
                pool,
                PoolKind.PER_HOST,
                pool.limitPerHost(),
                perHost,
                calls,
                waited,
                queued,
                "");
        if (best == null || s.savingNanos() >= best.savingNanos()) {
          best = s;
        }
      }
      if (best != null) {
        out.add(best);
      }
    }
    return out;
  }

  /**
   * A pool that the service's requests share, whose queue this flow's own calls do not explain:
   * they waited behind other flows' work. The limit to raise it to is the peak demand of the
   * service's flows recorded with this one while it ran ({@link CallStats#poolPeak}); the replay
   * drops the unexplained queue at that limit.
   */
  private static Suggestion behindOtherFlows(
      FlowContext ctx, Pool pool, PoolKind wide, List<Call> calls, List<Call> waited, long queued) {
    if (pool.limit() <= 0) {
      return null;
    }
    long external = 0;
    for (Call c : calls) {
      external += ctx.externalQueueNanos(c);
    }
    int peak = ctx.stats.poolPeak(ctx.flow, pool.name());
    if (external == 0 || peak <= pool.limit()) {
      return null;
    }
    int to = Math.max(peak, calls.size());
    String why =
        "\nThis page's own calls do not explain "
            + Durations.format(external)
            + " of that wait: they queued behind other requests' work in a pool the requests share."
            + " While this page ran, up to "
            + peak
            + " calls of the service's requests recorded with it wanted the pool at once.";
    return make(ctx, pool, wide, pool.limit(), to, calls, waited, queued, why);
  }

  /** Queued time of these calls during waits on shared threads (a client's, the common pool). */
  private static long queuedForStuckThreads(FlowContext ctx, List<Call> waited) {
    long total = 0;
    for (Call c : waited) {
      for (Phase p : c.phases()) {
        if (p.kind() != PhaseKind.QUEUED) {
          continue;
        }
        long covered = p.startNanos();
        for (Block b : ctx.flow.blocks()) {
          if (!b.thread().role().isShared()) {
            continue;
          }
          long s = Math.max(b.startNanos(), covered);
          long e = Math.min(b.endNanos(), p.endNanos());
          if (e > s) {
            total += e - s;
            covered = e;
          }
        }
      }
    }
    return total;
  }

  /**
   * A sentence when threads of the executor spent the queue waiting for calls queued behind them in
   * that same executor (a task that submits children to its own pool and waits for them): they hold
   * a thread each while they wait, which is why the pool ran fewer calls than its size, and with
   * every thread waiting so it deadlocks. {@code ""} when no worker waited so.
   */
  private static String nestedWaits(
      FlowContext ctx, List<Call> calls, List<Call> waited, int limit) {
    Set<Long> workers = new HashSet<>();
    Set<String> queuedIds = new HashSet<>();
    for (Call c : calls) {
      if (c.thread().isKnown()) {
        workers.add(c.thread().id());
      }
    }
    for (Call c : waited) {
      queuedIds.add(c.spanId());
    }
    Set<Long> holding = new LinkedHashSet<>();
    Set<String> sites = new LinkedHashSet<>();
    for (Block b : ctx.flow.blocks()) {
      if (!workers.contains(b.thread().id())) {
        continue;
      }
      for (String id : b.releasedBy()) {
        // Its own synchronous call is the work a thread is there for, not a nested wait.
        Call c = ctx.flow.call(id);
        if (queuedIds.contains(id) && c != null && !c.thread().sameThread(b.thread())) {
          holding.add(b.thread().id());
          if (b.site().isKnown()) {
            sites.add(b.site().label());
          }
          break;
        }
      }
    }
    if (holding.isEmpty()) {
      return "";
    }
    return "\n"
        + (holding.size() == 1 ? "1 of its " : holding.size() + " of its ")
        + limit
        + " threads waited"
        + (sites.isEmpty() ? "" : " (at " + String.join(", ", sites) + ")")
        + " for calls of tasks queued behind them in this same executor: a task that waits for"
        + " tasks of its own pool holds a thread while it waits, and when every thread waits so"
        + " the pool deadlocks. Either size the pool for the waiting tasks and their children"
        + " together, or give the children an executor of their own.";
  }

  static int maxPerHost(List<Call> calls) {
    Map<String, Integer> n = new HashMap<>();
    int max = 0;
    for (Call c : calls) {
      max = Math.max(max, n.merge(c.hostPort(), 1, Integer::sum));
    }
    return max;
  }

  private static Suggestion make(
      FlowContext ctx,
      Pool pool,
      PoolKind kind,
      int from,
      int to,
      List<Call> calls,
      List<Call> waited,
      long queued,
      String context) {
    String name = pool.name().isEmpty() ? "" : " '" + pool.name() + "'";
    String what;
    String how;
    switch (kind) {
      case PER_HOST:
        what = "the per-host limit of dispatcher" + name;
        how = "OkHttp: dispatcher.setMaxRequestsPerHost(" + to + ")";
        break;
      case DISPATCHER:
        what = "the limit of dispatcher" + name;
        how = "OkHttp: dispatcher.setMaxRequests(" + to + ")";
        break;
      case EXECUTOR:
        what = "executor" + name;
        how =
            "give the executor "
                + to
                + " threads, e.g. Executors.newFixedThreadPool("
                + to
                + ")"
                + (pool.createdAt().isKnown()
                    ? ", where it is created, at " + pool.createdAt().label()
                    : "");
        break;
      default:
        what = "pool" + name;
        how = "raise its limit to " + to;
        break;
    }
    List<String> ids = new ArrayList<>();
    for (Call c : calls) {
      ids.add(c.spanId());
    }
    String title = "Raise " + what + " from " + from + " to " + to;
    String explanation =
        Explain.plural(waited.size(), "call", "calls")
            + " waited "
            + Durations.format(queued)
            + " in total in the queue of "
            + what
            + ", which runs at most "
            + from
            + " at once:"
            + Explain.queuedBullets(waited)
            + context
            + (kind == PoolKind.EXECUTOR ? nestedWaits(ctx, calls, waited, from) : "")
            + (to > calls.size()
                ? "\nTo run all " + to + " calls that concurrent requests ask of it at once, "
                : "\nTo run all " + calls.size() + " of this page's calls at once, ")
            + how
            + ".";
    return Suggestions.make(
        ctx,
        SuggestionKind.RAISE_POOL_LIMIT,
        title,
        explanation,
        ids,
        List.of(new Change.SetPoolLimit(pool.name(), kind, to)));
  }
}
