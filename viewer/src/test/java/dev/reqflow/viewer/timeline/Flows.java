package dev.reqflow.viewer.timeline;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.CallMode;
import dev.reqflow.flow.CodeLocation;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.flow.Dependency;
import dev.reqflow.flow.DependencyType;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Phase;
import dev.reqflow.flow.PhaseKind;
import dev.reqflow.flow.Pool;
import dev.reqflow.flow.ThreadRef;
import dev.reqflow.flow.ThreadRole;
import java.util.List;

/** Small hand-built flows for view tests; times in ms from 0. */
final class Flows {
  static final long MS = 1_000_000L;
  static final ThreadRef RENDER = new ThreadRef(1, "http-1", ThreadRole.RENDER);
  static final ThreadRef WORKER = new ThreadRef(2, "pool-1", ThreadRole.EXECUTOR);

  private Flows() {}

  static Call call(String id, ThreadRef t, long from, long to, Dependency... deps) {
    return new Call(
        id,
        "GET",
        "http://h:80/" + id,
        "h",
        80,
        200,
        "",
        "okhttp",
        CallMode.ASYNC,
        from * MS,
        to * MS,
        List.of(
            new Phase(PhaseKind.QUEUED, from * MS, (from + (to - from) / 4) * MS),
            new Phase(PhaseKind.SERVER, (from + (to - from) / 4) * MS, to * MS)),
        ConnectionReuse.UNKNOWN,
        Pool.NONE,
        new CodeLocation("app.Home.render", "Home.java", 10),
        t,
        List.of(deps));
  }

  static Block block(String id, long from, long to, String... releasedBy) {
    return new Block(
        id,
        RENDER,
        "future.get",
        from * MS,
        to * MS,
        new CodeLocation("app.Home.render", "Home.java", 20),
        List.of(releasedBy));
  }

  /**
   *
   *
   * <pre>
   * http-1  a |0 ---- 40|            block1 |5 ---- 40|   c |42 -- 60|  block2 |45 -- 60|
   * pool-1  b |0 ---------- 50|  d |10 -- 30|
   * </pre>
   */
  static Flow page() {
    return Flow.builder("t1", "f1")
        .name("GET /home")
        .time(0, 100 * MS)
        .renderThread(RENDER)
        .waitsRecorded(true)
        .addCall(call("a", RENDER, 0, 40))
        .addCall(call("b", WORKER, 0, 50))
        .addCall(call("d", WORKER, 10, 30))
        .addCall(call("c", RENDER, 42, 60, new Dependency("a", DependencyType.AFTER_WAIT)))
        .addBlock(block("k1", 5, 40, "a"))
        .addBlock(block("k2", 45, 60, "c"))
        .build();
  }
}
