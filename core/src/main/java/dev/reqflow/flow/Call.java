package dev.reqflow.flow;

import dev.reqflow.contract.TraceContract.Incomplete;
import java.util.List;
import java.util.Objects;

/**
 * One outbound HTTP call of a flow, from the moment the app asked ({@link #startNanos}, the issue
 * time) to the complete response ({@link #endNanos}). Times are epoch nanoseconds.
 *
 * @param spanId hex span id of the call span
 * @param method HTTP method, {@code ""} when unknown
 * @param url the redacted URL as recorded, {@code ""} when unknown
 * @param host server address, {@code ""} when unknown
 * @param port server port, 0 when unknown
 * @param status HTTP response status, 0 when there was none
 * @param error {@code error.type}, {@code ""} when the call did not fail
 * @param client which client made it ({@code okhttp}, {@code jdk-httpclient}), {@code ""} when
 *     unknown
 * @param phases phases in time order, possibly empty; they lie within the call
 * @param pool the executor or dispatcher that queued the call, {@link Pool#NONE} when none
 * @param callSite the application line that issued the call
 * @param thread the thread that issued the call
 * @param dependencies earlier calls this one came after
 * @param requestHash the agent's keyed hash of the whole request (method, URL with its query
 *     values, body), {@code ""} when unknown: equal hashes in one trace are the same request
 * @param incomplete why the agent ended the call itself, the client never having reported its
 *     response done (a {@code reqflow.call.incomplete} value: {@code unreachable}, {@code
 *     unclosed}, {@code exit}), {@code ""} for a call that ended; an incomplete call ends where its
 *     response was last seen in use
 */
public record Call(
    String spanId,
    String method,
    String url,
    String host,
    int port,
    int status,
    String error,
    String client,
    CallMode mode,
    long startNanos,
    long endNanos,
    List<Phase> phases,
    ConnectionReuse connectionReuse,
    Pool pool,
    CodeLocation callSite,
    ThreadRef thread,
    List<Dependency> dependencies,
    String requestHash,
    String incomplete) {

  /** A call that ended (the client reported it done). */
  public Call(
      String spanId,
      String method,
      String url,
      String host,
      int port,
      int status,
      String error,
      String client,
      CallMode mode,
      long startNanos,
      long endNanos,
      List<Phase> phases,
      ConnectionReuse connectionReuse,
      Pool pool,
      CodeLocation callSite,
      ThreadRef thread,
      List<Dependency> dependencies,
      String requestHash) {
    this(
        spanId,
        method,
        url,
        host,
        port,
        status,
        error,
        client,
        mode,
        startNanos,
        endNanos,
        phases,
        connectionReuse,
        pool,
        callSite,
        thread,
        dependencies,
        requestHash,
        "");
  }

  /** A call without a request hash (traces from other tools, hand-made flows). */
  public Call(
      String spanId,
      String method,
      String url,
      String host,
      int port,
      int status,
      String error,
      String client,
      CallMode mode,
      long startNanos,
      long endNanos,
      List<Phase> phases,
      ConnectionReuse connectionReuse,
      Pool pool,
      CodeLocation callSite,
      ThreadRef thread,
      List<Dependency> dependencies) {
    this(
        spanId,
        method,
        url,
        host,
        port,
        status,
        error,
        client,
        mode,
        startNanos,
        endNanos,
        phases,
        connectionReuse,
        pool,
        callSite,
        thread,
        dependencies,
        "");
  }

  public Call {
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(connectionReuse, "connectionReuse");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(callSite, "callSite");
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(requestHash, "requestHash");
    Objects.requireNonNull(incomplete, "incomplete");
    phases = PhaseList.copyOf(phases);
    dependencies = List.copyOf(dependencies);
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("call " + spanId + " ends before it starts");
    }
  }

  /** The issue time: when the app asked for the call. */
  public long issueNanos() {
    return startNanos;
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }

  /** {@code host:port}, or the host alone when the port is unknown. */
  public String hostPort() {
    return port > 0 ? host + ":" + port : host;
  }

  /** Total time in phases of that kind; 0 when the call has none. */
  public long phaseNanos(PhaseKind kind) {
    long sum = 0;
    if (phases instanceof PhaseList packed) {
      for (int i = 0; i < packed.size(); i++) {
        if (packed.kind(i) == kind) {
          sum += packed.durationNanos(i);
        }
      }
      return sum;
    }
    for (int i = 0; i < phases.size(); i++) {
      Phase p = phases.get(i);
      if (p.kind() == kind) {
        sum += p.durationNanos();
      }
    }
    return sum;
  }

  /** DNS, connect and TLS time: what a reused connection saves. */
  public long connectionSetupNanos() {
    return phaseNanos(PhaseKind.DNS) + phaseNanos(PhaseKind.CONNECT) + phaseNanos(PhaseKind.TLS);
  }

  /** True when the call failed: an error type, or a 5xx status. */
  public boolean failed() {
    return !error.isEmpty() || status >= 500;
  }

  /**
   * True when the application had the response and never read its body to the end nor closed it
   * (the agent found it unreachable, or still open after its flow ended): the call kept its
   * connection, which no later call could use.
   */
  public boolean responseNotClosed() {
    return Incomplete.notClosed(incomplete);
  }

  /** True when this call came after {@code other} for the given reason. */
  public boolean dependsOn(String otherSpanId, DependencyType type) {
    for (int i = 0; i < dependencies.size(); i++) {
      Dependency d = dependencies.get(i);
      if (d.type() == type && d.spanId().equals(otherSpanId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * What the call is, for people: {@code GET http://users:8081/users/42}, or the host and method
   * when there is no URL.
   */
  public String label() {
    String what = !url.isEmpty() ? url : hostPort();
    if (what.isEmpty()) {
      what = "call " + spanId;
    }
    return method.isEmpty() ? what : method + " " + what;
  }

  /**
   * Identity of the request: the agent's hash of the whole request when the trace has it, else
   * method and URL (host and port when there is no URL). Two calls with the same key made the same
   * request, unless {@link #requestKnown()} is false (a redacted query may hide differences).
   */
  public String requestKey() {
    if (!requestHash.isEmpty()) {
      return method + " #" + requestHash;
    }
    return method + " " + (url.isEmpty() ? hostPort() : url);
  }

  /**
   * True when {@link #requestKey()} tells the request apart from others: a hash of the whole
   * request, or a URL in clear. A URL whose query values were redacted may stand for many requests.
   */
  public boolean requestKnown() {
    return !requestHash.isEmpty() || (!url.isEmpty() && !url.contains(REDACTED));
  }

  /** What the agent writes in place of query values it keeps out of traces. */
  public static final String REDACTED = "REDACTED";
}
