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
public final class Flows {
  public static final long MS = 1_000_000L;
  public static final ThreadRef RENDER = new ThreadRef(1, "http-1", ThreadRole.RENDER);
  static final ThreadRef WORKER = new ThreadRef(2, "pool-1", ThreadRole.EXECUTOR);

  private Flows() {}

  public static Call call(String id, ThreadRef t, long from, long to, Dependency... deps) {
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

  public static Block block(String id, long from, long to, String... releasedBy) {
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
  public static Flow page() {
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

  /**
   * The flow the {@code users} service ran for call {@code a} of {@link #page()} (its agent got the
   * call's trace context): its render thread worked, waited on its own call {@code x}, worked
   * again. Its clock is 2 ms behind the page's, so it was recorded starting before the call did; it
   * is drawn 2 ms later, inside the call.
   *
   * <pre>
   * page     a |0 ------------------------------------------- 40|
   * users  |-2 work|3 ---- blocked on x ---- 28|work 34|           as recorded
   * drawn      |0 work|5 ---- blocked on x ---- 30|work 36|
   * </pre>
   */
  public static Flow backend() {
    ThreadRef t = new ThreadRef(7, "users-http-1", ThreadRole.RENDER);
    return Flow.builder("t1", "u1")
        .name("GET /a")
        .service("users")
        .parentSpanId("a")
        .time(-2 * MS, 34 * MS)
        .renderThread(t)
        .waitsRecorded(true)
        .addCall(call("x", t, 2, 29))
        .addBlock(
            new Block(
                "ub",
                t,
                "future.get",
                3 * MS,
                28 * MS,
                new CodeLocation("users.Api.get", "Api.java", 7),
                List.of("x")))
        .build();
  }
}
