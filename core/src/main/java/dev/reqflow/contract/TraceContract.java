package dev.reqflow.contract;

import java.util.List;

/**
 * Every name that the agent writes into OTLP and that the reader relies on. The agent shades this
 * class and nothing else from {@code core}; the reader and the viewer use it as well, so the two
 * sides can only disagree by changing this one file.
 *
 * <p>Where an OpenTelemetry semantic convention exists for a value, the convention's name is used,
 * so that other tools (Jaeger, Tempo, Zipkin) show our spans sensibly; what no convention covers is
 * under {@code reqflow.}.
 */
public final class TraceContract {

  /** Instrumentation scope of every span the agent records. */
  public static final String SCOPE_NAME = "dev.reqflow.agent";

  private TraceContract() {}

  /** What a span is to reqflow: the value of {@link Attr#SPAN_TYPE}. */
  public static final class SpanType {
    /** The unit of analysis: an inbound request (kind SERVER) or a configured method (INTERNAL). */
    public static final String FLOW = "flow";

    /**
     * One outbound HTTP call (kind CLIENT), from the moment the app asked to its completion. Named
     * as the HTTP semantic conventions name a client span: its method ({@code GET}), {@code HTTP}
     * when the method is unknown; the reader never relies on the name ({@link Attr#URL_FULL} and
     * {@link Attr#HTTP_REQUEST_METHOD} say what was called). Earlier agents named it {@code GET
     * /path}.
     */
    public static final String CALL = "call";

    /** One wait of a thread on a future or a synchronous call (kind INTERNAL). */
    public static final String BLOCK = "block";

    /** A named part of the render, from configured methods (kind INTERNAL). */
    public static final String SECTION = "section";

    /**
     * The agent's install when it ran in the background ({@code install=background}), in a trace of
     * its own (kind INTERNAL): from the JVM's start to the moment the agent began recording.
     * Requests the process served before its end were not recorded; a reader says so before it says
     * anything else. No flow: a reader that does not know it leaves it out.
     */
    public static final String INSTALL = "install";

    private SpanType() {}
  }

  /** Span, link and event attribute keys. */
  public static final class Attr {
    /** One of {@link SpanType}; absent on spans recorded by other tools. */
    public static final String SPAN_TYPE = "reqflow.span.type";

    // --- OpenTelemetry semantic conventions (HTTP, code, thread, server) ---
    public static final String HTTP_REQUEST_METHOD = "http.request.method";
    public static final String HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";
    public static final String HTTP_ROUTE = "http.route";
    public static final String URL_FULL = "url.full";
    public static final String URL_PATH = "url.path";
    public static final String URL_QUERY = "url.query";
    public static final String SERVER_ADDRESS = "server.address";
    public static final String SERVER_PORT = "server.port";
    public static final String ERROR_TYPE = "error.type";
    public static final String THREAD_ID = "thread.id";
    public static final String THREAD_NAME = "thread.name";

    /** Fully qualified method of the call site or waiting line: {@code com.example.Page.render}. */
    public static final String CODE_FUNCTION_NAME = "code.function.name";

    /** Source file of that frame as the class file names it: {@code Page.java}. */
    public static final String CODE_FILE_PATH = "code.file.path";

    public static final String CODE_LINE_NUMBER = "code.line.number";

    // --- flows and sections ---
    /** Display name of a flow, e.g. {@code GET /home}; also the span name. */
    public static final String FLOW_NAME = "reqflow.flow.name";

    public static final String SECTION_NAME = "reqflow.section.name";

    /**
     * On a flow span, only when the agent sampled ({@code sample} below 1, {@code keep.slow},
     * {@code keep.slower}, {@code parent.sampling=respect}): the options as written, e.g. {@code
     * sample=0.1,keep.slow}. Its presence means the flows read are a sample, not the traffic.
     */
    public static final String FLOW_SAMPLING = "reqflow.flow.sampling";

    /** With {@link #FLOW_SAMPLING}: why this flow was kept, one of {@link SampledBecause}. */
    public static final String FLOW_SAMPLED_BECAUSE = "reqflow.flow.sampled_because";

    // --- calls ---
    /** Which client made the call: one of {@link Client}. */
    public static final String CALL_CLIENT = "reqflow.call.client";

    /** How the app asked: one of {@link CallMode}. */
    public static final String CALL_MODE = "reqflow.call.mode";

    /** True when the call went over a connection that an earlier call had opened. */
    public static final String CONNECTION_REUSED = "reqflow.connection.reused";

    /**
     * Name of the executor or dispatcher that queued the call before it ran (e.g. {@code
     * pool-2-thread}, {@code okhttp-dispatcher}).
     */
    public static final String POOL_NAME = "reqflow.pool.name";

    /** What kind of limit {@link #POOL_LIMIT} is: one of {@link PoolKind}. */
    public static final String POOL_KIND = "reqflow.pool.kind";

    /** The concurrency limit that applied to the call: executor workers, dispatcher maximum. */
    public static final String POOL_LIMIT = "reqflow.pool.limit";

    /**
     * Where the application created the executor of {@link #POOL_NAME} (a {@code
     * ThreadPoolExecutor}), as {@code code.function.name}: the line to change to resize it. Absent
     * when the agent did not see it created (before the agent was installed) or no application
     * frame made it.
     */
    public static final String POOL_CODE_FUNCTION_NAME = "reqflow.pool.code.function.name";

    /** The file of {@link #POOL_CODE_FUNCTION_NAME}, as {@code code.file.path}. */
    public static final String POOL_CODE_FILE_PATH = "reqflow.pool.code.file.path";

    /** The line of {@link #POOL_CODE_FUNCTION_NAME}, as {@code code.line.number}. */
    public static final String POOL_CODE_LINE_NUMBER = "reqflow.pool.code.line.number";

    /**
     * The limit per destination that applied to the call: OkHttp's per-host limit ({@code
     * Dispatcher.maxRequestsPerHost}), or a connection pool's maximum for the call's route (Apache
     * HttpClient {@code PoolingHttpClientConnectionManager.getMaxPerRoute(route)}), when {@link
     * #POOL_LIMIT} is the pool's maximum in total.
     */
    public static final String POOL_LIMIT_PER_HOST = "reqflow.pool.limit_per_host";

    /**
     * A keyed hash (SipHash-2-4, 16 hex digits) of the whole request: method, full URL with its
     * query values, and body. The key is drawn at random in the agent's process and never leaves
     * it: equal hashes in one process's trace are the same request, and the hash tells nothing of
     * the values. Absent when the agent could not see the whole request (a streamed body).
     */
    public static final String REQUEST_HASH = "reqflow.request.hash";

    /**
     * How many calls may wait in the pool's queue before it refuses more (Reactor Netty {@code
     * ConnectionProvider} pending-acquire max count); absent when unbounded or unknown.
     */
    public static final String POOL_PENDING_LIMIT = "reqflow.pool.pending_limit";

    /**
     * The client's cache of idle connections when it only keeps connections and never queues calls,
     * so that it is not a {@link #POOL_NAME} (e.g. {@code jdk-keep-alive-cache}, the JDK's {@code
     * sun.net.www.http.KeepAliveCache} behind {@code HttpURLConnection}).
     */
    public static final String CONNECTION_POOL_NAME = "reqflow.connection.pool.name";

    /**
     * Idle connections that {@link #CONNECTION_POOL_NAME} keeps per destination (the JDK's {@code
     * http.maxConnections}, 5 by default): a call beyond them opens a connection of its own, it
     * never waits for one.
     */
    public static final String CONNECTION_POOL_MAX_IDLE = "reqflow.connection.pool.max_idle";

    /**
     * On a call span that the agent ended itself because the client never reported its response
     * done (its body read to the end, closed, or its connection given back): why, one of {@link
     * Incomplete}. Such a span ends at the last moment the application was seen using the response
     * (the issuing method or the callback returned, the body was last read) and holds the phases
     * seen until then. Absent on calls that ended.
     */
    public static final String CALL_INCOMPLETE = "reqflow.call.incomplete";

    /**
     * On a span with {@link #CALL_INCOMPLETE}: nanoseconds from the span's end to the moment the
     * agent found the response still open, during which it held its connection (int).
     */
    public static final String CALL_OPEN_AFTER_NANOS = "reqflow.call.open_after_ns";

    // --- blocks ---
    /** What the thread waited in: one of {@link BlockKind}. */
    public static final String BLOCK_KIND = "reqflow.block.kind";

    /**
     * On a block span of kind {@link BlockKind#MONITOR_ENTER} or {@link BlockKind#LOCK_PARK}: the
     * class of the lock the thread waited for. For a monitor, the class of the object whose monitor
     * it is ({@code com.example.Client} for a {@code synchronized} method of it, {@code
     * java.lang.Object} for a plain lock object); for a park, the lock's public class ({@code
     * java.util.concurrent.Semaphore}, {@code java.util.concurrent.locks.ReentrantLock}). Absent
     * when the agent could not tell.
     */
    public static final String LOCK_CLASS = "reqflow.lock.class";

    /**
     * Role of the thread that ran the span, so that a wait on a client's own thread can be told
     * from a wait on the render thread: one of {@link ThreadRole}.
     */
    public static final String THREAD_ROLE = "reqflow.thread.role";

    /**
     * On a block span whose future no recorded call completed: the name of the thread that
     * completed it while working for no flow (an I/O thread of a client the agent does not record,
     * such as {@code HttpClient@1b2c3d-37} of Jetty's client).
     */
    public static final String BLOCK_COMPLETED_BY = "reqflow.block.completed_by";

    // --- what the agent could not see (flow span) ---
    /**
     * On a flow span: nanoseconds the flow's threads spent in blocking socket reads and connects
     * while none of their recorded calls was open, summed over the threads (int). Absent when zero.
     */
    public static final String UNSEEN_SOCKET_NANOS = "reqflow.unseen.socket_ns";

    /** On a flow span: how many socket reads and connects {@link #UNSEEN_SOCKET_NANOS} adds up. */
    public static final String UNSEEN_SOCKET_OPS = "reqflow.unseen.socket_ops";

    /**
     * On a flow span: nanoseconds the flow's threads waited (recorded block spans) on futures that
     * no recorded call released and that a thread working for no flow completed, summed over the
     * threads (int). Absent when zero.
     */
    public static final String UNSEEN_WAIT_NANOS = "reqflow.unseen.wait_ns";

    /**
     * On a flow span: the known HTTP, RPC and database client libraries that the JVM had loaded by
     * the flow's end and whose calls the agent does not record, by name (string array), e.g. {@code
     * ["Jetty HttpClient", "AsyncHttpClient"]}. Absent when none.
     */
    public static final String LIBRARIES_UNRECORDED = "reqflow.libraries.unrecorded";

    /**
     * On a flow span: why waits of its threads for monitors ({@code synchronized} on platform
     * threads) and pinned virtual threads could not be recorded, one of {@link UnseenLockWaits}
     * (string); absent when they were. The agent sees those waits only through JDK Flight
     * Recorder's stream: a flow that began before its recording ran may have waited unseen.
     */
    public static final String UNSEEN_LOCK_WAITS = "reqflow.unseen.lock_waits";

    // --- snapshots of flows in progress (stalled, or open when the process stopped) ---
    /**
     * True on a span of a snapshot: a flow, call or wait that had not ended when the snapshot was
     * taken, exported with the snapshot's time as its end. The flow span and the calls keep the
     * span ids their final spans will have; the waits in progress get span ids of their own. A
     * reader keeps, per flow, the spans of its latest snapshot ({@link #SNAPSHOT_SEQ}) and drops
     * every snapshot span once the flow's final span (the same flow span id, without this
     * attribute) is there: its real spans supersede the snapshot.
     */
    public static final String IN_PROGRESS = "reqflow.in_progress";

    /**
     * On a snapshot span: the snapshot's number within its flow (int, from 1). A later snapshot of
     * the same flow replaces the earlier ones: same flow span id, higher number.
     */
    public static final String SNAPSHOT_SEQ = "reqflow.snapshot.seq";

    /** On a snapshot's flow span: why it was taken, one of {@link SnapshotReason}. */
    public static final String SNAPSHOT_REASON = "reqflow.snapshot.reason";

    /**
     * On a snapshot's flow span: the agent's {@code stall.after} in nanoseconds (int): a flow open
     * at least this long is stalled; one open less long was merely in progress when the process
     * stopped.
     */
    public static final String STALL_AFTER_NANOS = "reqflow.stall.after_ns";

    /**
     * On a snapshot's flow span: calls and waits in progress that the snapshot left out, past its
     * size limit (int). Absent when none.
     */
    public static final String SNAPSHOT_LEFT_OUT = "reqflow.snapshot.left_out";

    /**
     * On a wait in progress of kind {@link BlockKind#THREAD_STATE}: the thread's {@code
     * Thread.State} ({@code RUNNABLE}, {@code BLOCKED}, {@code WAITING}, {@code TIMED_WAITING}).
     */
    public static final String THREAD_STATE = "reqflow.thread.state";

    /**
     * On a wait in progress: the innermost frame of the thread's stack when the snapshot was taken
     * ({@code java.lang.Thread.sleep}, {@code sun.nio.ch.SocketDispatcher.read0}), what the thread
     * is in beyond the application's line ({@code code.*}).
     */
    public static final String THREAD_FRAME = "reqflow.thread.frame";

    /**
     * On a wait in progress: the executor whose worker the waiting thread is (the executor that ran
     * the flow's task on it), by class and identity: {@code ThreadPoolExecutor@5e9f23b4}.
     */
    public static final String THREAD_EXECUTOR = "reqflow.thread.executor";

    /** With {@link #THREAD_EXECUTOR}: its maximum number of threads (int). */
    public static final String THREAD_EXECUTOR_LIMIT = "reqflow.thread.executor.limit";

    /** With {@link #THREAD_EXECUTOR}: its threads running a task at the snapshot (int). */
    public static final String THREAD_EXECUTOR_ACTIVE = "reqflow.thread.executor.active";

    /** With {@link #THREAD_EXECUTOR}: tasks in its queue at the snapshot, not started (int). */
    public static final String THREAD_EXECUTOR_QUEUED = "reqflow.thread.executor.queued";

    /** On a wait in progress on a task's future: the task's state, one of {@link TaskState}. */
    public static final String WAIT_TASK_STATE = "reqflow.wait.task.state";

    /**
     * On a wait in progress on a task that has not started: the executor in whose queue it waits,
     * named as {@link #THREAD_EXECUTOR} names one.
     */
    public static final String WAIT_TASK_EXECUTOR = "reqflow.wait.task.executor";

    /** On a wait in progress on a task that runs: the name of the thread running it. */
    public static final String WAIT_TASK_THREAD = "reqflow.wait.task.thread";

    /**
     * On a call span: the executor the client runs its own work for the call on, when the
     * application gave it one (JDK {@code HttpClient.Builder.executor}), named as {@link
     * #THREAD_EXECUTOR} names one: a thread of that executor that blocks on the call holds a thread
     * the response needs.
     */
    public static final String CALL_EXECUTOR = "reqflow.call.executor";

    // --- links ---
    /** On every link the agent writes: one of {@link LinkType}. */
    public static final String LINK_TYPE = "reqflow.link.type";

    // --- events ---
    /** On a {@link Event#DISPATCHED} event: what had queued the call, one of {@link PoolKind}. */
    public static final String QUEUE_KIND = "reqflow.queue.kind";

    // --- resource ---
    /** Resource attribute: version of the reqflow agent; its presence means waits were recorded. */
    public static final String AGENT_VERSION = "reqflow.agent.version";

    private Attr() {}
  }

  /**
   * Phases of a call, as span events named for the moment they mark. The queued phase runs from the
   * span's start (when the app asked) to {@link #DISPATCHED}; the others are start/end pairs, or
   * single moments. A client that does not expose a phase simply has no such event.
   */
  public static final class Event {
    public static final String DISPATCHED = "dispatched";
    public static final String DNS_START = "dns.start";
    public static final String DNS_END = "dns.end";
    public static final String CONNECT_START = "connect.start";
    public static final String CONNECT_END = "connect.end";
    public static final String TLS_START = "tls.start";
    public static final String TLS_END = "tls.end";
    public static final String CONNECTION_ACQUIRED = "connection.acquired";
    public static final String REQUEST_SENT = "request.sent";
    public static final String RESPONSE_FIRST_BYTE = "response.first_byte";
    public static final String RESPONSE_BODY_DONE = "response.body_done";

    /** Every phase event, in the order they happen in a call. */
    public static final List<String> PHASE_ORDER =
        List.of(
            DISPATCHED,
            DNS_START,
            DNS_END,
            CONNECT_START,
            CONNECT_END,
            TLS_START,
            TLS_END,
            CONNECTION_ACQUIRED,
            REQUEST_SENT,
            RESPONSE_FIRST_BYTE,
            RESPONSE_BODY_DONE);

    private Event() {}
  }

  /** Values of {@link Attr#CALL_INCOMPLETE}: why the agent ended a call the client never ended. */
  /**
   * Why a sampled flow was kept ({@link Attr#FLOW_SAMPLED_BECAUSE}). Only {@link #AT_START} flows
   * are an unbiased sample of their endpoint; the others were kept for being slow or failed.
   */
  public static final class SampledBecause {
    /** Drawn at its start ({@code sample=RATIO}) or by the inbound trace's sampled flag. */
    public static final String AT_START = "at_start";

    /** Slower than its endpoint's running p90 ({@code keep.slow}). */
    public static final String SLOWER_THAN_P90 = "slower_than_p90";

    /** Its endpoint had no p90 yet ({@code keep.slow}: the first flows are kept). */
    public static final String BEFORE_P90 = "before_p90";

    /** At least {@code keep.slower}. */
    public static final String SLOWER_THAN_OPTION = "slower_than_option";

    /** Failed (an error or a 5xx). */
    public static final String FAILED = "failed";

    /** No reason of its own: exported because another flow of its trace was kept. */
    public static final String WITH_TRACE = "with_trace";

    private SampledBecause() {}
  }

  public static final class Incomplete {
    /**
     * The application dropped the response without reading its body to the end or closing it: the
     * object that held it became unreachable (found by the garbage collector). A connection leak:
     * the client cannot reuse the connection (OkHttp logs "A connection to ... was leaked").
     */
    public static final String UNREACHABLE = "unreachable";

    /**
     * The response was neither read to its end nor closed when its flow had been over for the
     * agent's {@code unclosed.after}, or when the process exited after its flow ended: a connection
     * leak, unless the application handed the response to work outside the flow.
     */
    public static final String UNCLOSED = "unclosed";

    /** The process exited while the call's flow was still running, its response still open. */
    public static final String EXIT = "exit";

    private Incomplete() {}

    /** True when {@code reason} says the application never closed a response it was given. */
    public static boolean notClosed(String reason) {
      return UNREACHABLE.equals(reason) || UNCLOSED.equals(reason);
    }
  }

  /** Values of {@link Attr#LINK_TYPE}. */
  public static final class LinkType {
    /**
     * On a block span: a call whose completion released the wait. On a wait for a monitor or lock:
     * the call its holder was making, whose end let the holder go on and release it.
     */
    public static final String WAITED_ON = "waited-on";

    /**
     * On a call span: the call was issued inside the completion of the linked call. On a block
     * span: the wait happened inside that completion (a callback that blocks its thread).
     */
    public static final String CALLBACK = "callback";

    /**
     * On a call span: the call was issued by a thread after it blocked on the linked call, a
     * dependency in time that may not be one in data.
     */
    public static final String AFTER_WAIT = "after-wait";

    /**
     * On a call span: the request carries a value (in its URL, a header or its body) that the
     * linked call's response returned, a dependency in data the what-if never moves across. Found
     * in the agent's process by comparing keyed hashes of response tokens and request values; only
     * the link is exported.
     */
    public static final String DATA = "data";

    private LinkType() {}
  }

  /** Values of {@link Attr#CALL_CLIENT}. */
  public static final class Client {
    public static final String OKHTTP = "okhttp";
    public static final String JDK_HTTP_CLIENT = "jdk-httpclient";

    /** Reactor Netty's {@code HttpClient}, also under Spring's {@code WebClient}. */
    public static final String REACTOR_NETTY = "reactor-netty";

    /** {@code java.net.HttpURLConnection} (the JDK's own implementation, http and https). */
    public static final String HTTP_URL_CONNECTION = "httpurlconnection";

    /** Apache HttpClient 5.x classic ({@code CloseableHttpClient.execute}). */
    public static final String APACHE_HTTPCLIENT5 = "apache-httpclient5";

    /** Apache HttpClient 5.x async ({@code CloseableHttpAsyncClient.execute}). */
    public static final String APACHE_HTTPCLIENT5_ASYNC = "apache-httpclient5-async";

    /** Apache HttpClient 4.x classic ({@code org.apache.http} {@code CloseableHttpClient}). */
    public static final String APACHE_HTTPCLIENT4 = "apache-httpclient4";

    private Client() {}
  }

  /** Values of {@link Attr#CALL_MODE}. */
  public static final class CallMode {
    /** The calling thread waited for the response ({@code execute}, {@code send}). */
    public static final String SYNC = "sync";

    /** The call returned at once ({@code enqueue}, {@code sendAsync}). */
    public static final String ASYNC = "async";

    private CallMode() {}
  }

  /** Values of {@link Attr#POOL_KIND} and {@link Attr#QUEUE_KIND}. */
  public static final class PoolKind {
    /** A {@code java.util.concurrent} executor that ran the task making the call. */
    public static final String EXECUTOR = "executor";

    /** An HTTP client's own dispatcher (OkHttp {@code Dispatcher.maxRequests}). */
    public static final String DISPATCHER = "dispatcher";

    /** A per-host limit (OkHttp {@code Dispatcher.maxRequestsPerHost}). */
    public static final String PER_HOST = "per-host";

    /**
     * A client's connection pool, the wait being the lease of a connection: its limit is the
     * maximum in total (Apache HttpClient {@code PoolingHttpClientConnectionManager.setMaxTotal}),
     * its per-destination limit {@link Attr#POOL_LIMIT_PER_HOST} (Reactor Netty's {@code
     * ConnectionProvider.maxConnections}, which is per remote address and has no total).
     */
    public static final String CONNECTION_POOL = "connection-pool";

    /**
     * A connection pool's limit per route (Apache HttpClient {@code setDefaultMaxPerRoute}, {@code
     * setMaxPerRoute}): the calls to one destination queue although the pool has room in total.
     */
    public static final String PER_ROUTE = "per-route";

    private PoolKind() {}
  }

  /** Values of {@link Attr#BLOCK_KIND}. */
  /** Values of {@link Attr#UNSEEN_LOCK_WAITS}. */
  public static final class UnseenLockWaits {
    /** The flow began while JDK Flight Recorder's recording was still starting. */
    public static final String JFR_STARTING = "jfr-starting";

    /** JDK Flight Recorder is not in the runtime, could not start, or its stream failed. */
    public static final String JFR_FAILED = "jfr-failed";

    private UnseenLockWaits() {}
  }

  public static final class BlockKind {
    public static final String FUTURE_GET = "future.get";
    public static final String COMPLETABLE_GET = "completable.get";
    public static final String COMPLETABLE_JOIN = "completable.join";
    public static final String OKHTTP_EXECUTE = "okhttp.execute";
    public static final String HTTP_CLIENT_SEND = "httpclient.send";

    /** Reactor's {@code Mono.block()} and {@code blockOptional()}. */
    public static final String MONO_BLOCK = "mono.block";

    /** Reactor's {@code Flux.blockFirst()}. */
    public static final String FLUX_BLOCK_FIRST = "flux.block_first";

    /** Reactor's {@code Flux.blockLast()}. */
    public static final String FLUX_BLOCK_LAST = "flux.block_last";

    /**
     * Jetty HttpClient's {@code InputStreamResponseListener.get/await} (under Spring's {@code
     * JettyClientHttpRequestFactory}): a client the agent does not record, so no call is linked.
     */
    public static final String JETTY_RESPONSE = "jetty.response";

    /**
     * Not a thread blocked: the flow's response waited for its asynchronous result (servlet async,
     * a reactive server), from the render thread's return to the moment the result was ready. It is
     * written on the render thread's lane, with that thread's role, and linked to the calls that
     * released it, so that the analysis reads it as the page's own wait.
     */
    public static final String ASYNC_RESPONSE = "async.response";

    /** A blocking socket read on a flow's thread while none of its recorded calls was open. */
    public static final String SOCKET_READ = "socket.read";

    /** A blocking socket connect on a flow's thread while none of its recorded calls was open. */
    public static final String SOCKET_CONNECT = "socket.connect";

    /**
     * A thread inside {@code HttpURLConnection} (connect, getOutputStream, getInputStream, and
     * getResponseCode or getHeaderField through it) while the response had not arrived yet.
     */
    public static final String HTTP_URL_CONNECTION = "httpurlconnection";

    /** Apache HttpClient's classic {@code execute} (4.x and 5.x), response handler included. */
    public static final String APACHE_EXECUTE = "apache.execute";

    /**
     * A thread waiting to enter a {@code synchronized} method or block whose monitor another thread
     * held. Its {@link LinkType#WAITED_ON} links name the call the holder was making when it let
     * go, when the agent knows it.
     */
    public static final String MONITOR_ENTER = "monitor.enter";

    /**
     * A thread parked acquiring a {@code java.util.concurrent} lock or semaphore ({@code
     * ReentrantLock}, {@code ReentrantReadWriteLock}, {@code Semaphore}).
     */
    public static final String LOCK_PARK = "lock.park";

    /**
     * A virtual thread that blocked while pinned to its carrier (JFR {@code
     * jdk.VirtualThreadPinned}): the carrier could run no other virtual thread meanwhile.
     */
    public static final String VIRTUAL_THREAD_PINNED = "virtual-thread.pinned";

    /**
     * The application read a call's response body after the client's method returned (OkHttp {@code
     * ResponseBody}, a JDK {@code HttpClient} body stream, an {@code HttpURLConnection} stream):
     * one span per stretch of reads, linked {@code waited-on} to the call, whose download phase it
     * is.
     */
    public static final String BODY_READ = "body.read";

    /**
     * Only in snapshots: a thread of a flow in progress that was not in a wait the agent records
     * (running, in a monitor, sleeping, in a socket read), with its {@link Attr#THREAD_STATE}, its
     * line and {@link Attr#THREAD_FRAME}. Not a block: the thread may be running.
     */
    public static final String THREAD_STATE = "thread.state";

    private BlockKind() {}
  }

  /** Values of {@link Attr#SNAPSHOT_REASON}. */
  public static final class SnapshotReason {
    /** The flow had been open for {@code stall.after}: the watchdog's snapshot. */
    public static final String STALLED = "stalled";

    /** The process was stopping (normal exit, {@code System.exit}, SIGTERM) with the flow open. */
    public static final String EXIT = "exit";

    private SnapshotReason() {}
  }

  /** Values of {@link Attr#WAIT_TASK_STATE}. */
  public static final class TaskState {
    /** Submitted to its executor and not started: behind other tasks, or no thread is free. */
    public static final String QUEUED = "queued";

    /** Running on a thread ({@link Attr#WAIT_TASK_THREAD}). */
    public static final String RUNNING = "running";

    private TaskState() {}
  }

  /** Values of {@link Attr#THREAD_ROLE}. */
  public static final class ThreadRole {
    /** The thread that started the flow: it renders the page. */
    public static final String RENDER = "render";

    /** A worker of an application executor. */
    public static final String EXECUTOR = "executor";

    /** A thread of an HTTP client's dispatcher or callback executor: blocking it stalls calls. */
    public static final String CLIENT_DISPATCHER = "client-dispatcher";

    /** A worker of {@code ForkJoinPool.commonPool()}: blocking it stalls unrelated work. */
    public static final String COMMON_POOL = "common-pool";

    /** Any other thread. */
    public static final String OTHER = "other";

    private ThreadRole() {}
  }
}
