package dev.reqflow.agent.bootstrap;

import java.util.concurrent.Callable;

/**
 * The one entry point that advice woven into any class (JDK classes included) calls. It is copied
 * onto the bootstrap class path at start, so it and its nested types use JDK types only; the
 * recorder registers itself as {@link #hooks} once the agent is installed.
 *
 * <p>Every method is safe to call before installation and never throws into the application.
 */
public final class Bridge {

  private static volatile Hooks hooks;

  private Bridge() {}

  private static boolean claimed;

  /**
   * Reserves the bridge for one agent before it instruments anything, so that a second reqflow
   * agent (another class loader, a late attach) stays off before it weaves its advice; the first
   * claim wins. The claimant registers its hooks later ({@link #register}), once every type is
   * instrumented when it installs in the background.
   */
  public static synchronized boolean claim() {
    if (claimed || hooks != null) {
      return false;
    }
    claimed = true;
    return true;
  }

  /** Registers the recorder; the first registration wins. */
  public static synchronized boolean register(Hooks h) {
    if (hooks != null) {
      return false;
    }
    hooks = h;
    return true;
  }

  /** Counts and logs once an error that advice suppressed. */
  public static void adviceError(Throwable t) {
    error(t);
  }

  private static void error(Throwable t) {
    try {
      Hooks h = hooks;
      if (h != null) {
        h.adviceError(t);
      }
    } catch (Throwable ignored) {
      // Reporting must never be the thing that breaks the application.
    }
  }

  // --- flows and sections ---

  public static Object flowEnter(String name, String method, String path, String traceparent) {
    try {
      Hooks h = hooks;
      return h == null ? null : h.flowEnter(name, method, path, traceparent);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  /**
   * As {@link #flowEnter(String, String, String, String)}, with the inbound W3C {@code tracestate}
   * header (null when absent), which the flow span keeps.
   */
  public static Object flowEnter(
      String name, String method, String path, String traceparent, String tracestate) {
    try {
      Hooks h = hooks;
      return h == null ? null : h.flowEnter(name, method, path, traceparent, tracestate);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  /**
   * Called by a server's advice before it reads what a flow needs (method, path, headers): a token
   * for {@link #flowExit} when sampling leaves out the flow that would start here now (the advice
   * then reads nothing), null when the advice is to go on with {@link #flowEnter}. So that a flow
   * left out costs a thread-local read, not the strings of its name.
   */
  public static Object flowSkipped() {
    try {
      Hooks h = hooks;
      return h == null ? null : h.flowSkipped();
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  public static void flowExit(Object token, int status, Throwable error) {
    try {
      Hooks h = hooks;
      if (h != null && token != null) {
        h.flowExit(token, status, error);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  public static Object methodEnter(String className, String methodName) {
    try {
      Hooks h = hooks;
      return h == null ? null : h.methodEnter(className, methodName);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  public static void methodExit(Object token, Throwable error) {
    try {
      Hooks h = hooks;
      if (h != null && token != null) {
        h.methodExit(token, error);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** The flow a {@link #flowEnter} token started, to detach, attach and end later; or null. */
  public static Object flowHandle(Object token) {
    try {
      Hooks h = hooks;
      return h == null || token == null ? null : h.flowHandle(token);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  /**
   * The server's template for the flow's path ({@code /product/{id}}, Spring MVC's best matching
   * pattern): the flow is named and grouped by it ({@code http.route}) instead of by its path.
   */
  public static void flowRoute(Object flow, String route) {
    try {
      Hooks h = hooks;
      if (h != null && flow != null && route != null) {
        h.flowRoute(flow, route);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * The thread that entered the flow returns while the flow goes on (an asynchronous response).
   * Returns the flow's handle, or null.
   */
  public static Object flowDetach(Object token) {
    try {
      Hooks h = hooks;
      return h == null || token == null ? null : h.flowDetach(token);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  /** The current thread goes on with a detached flow; returns a token for the exit, or null. */
  public static Object flowAttach(Object flow) {
    try {
      Hooks h = hooks;
      return h == null || flow == null ? null : h.flowAttach(flow);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  public static void flowAttachExit(Object token) {
    try {
      Hooks h = hooks;
      if (h != null && token != null) {
        h.flowAttachExit(token);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** The flow's asynchronous result is ready, signalled on the current thread. */
  public static void flowReleased(Object flow) {
    try {
      Hooks h = hooks;
      if (h != null && flow != null) {
        h.flowReleased(flow);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * The application completes the flow's response on this thread: true when the flow should end
   * now, false when a thread still at work in it ends it (see {@link #flowCompleteRequested}).
   */
  public static boolean flowCompleting(Object flow) {
    try {
      Hooks h = hooks;
      return h != null && flow != null && h.flowCompleting(flow);
    } catch (Throwable t) {
      error(t);
      return false;
    }
  }

  public static boolean flowCompleteRequested(Object flow) {
    try {
      Hooks h = hooks;
      return h != null && flow != null && h.flowCompleteRequested(flow);
    } catch (Throwable t) {
      error(t);
      return false;
    }
  }

  /** Ends a flow from any thread (once; later calls do nothing). */
  public static void flowEnd(Object flow, int status, Throwable error) {
    try {
      Hooks h = hooks;
      if (h != null && flow != null) {
        h.flowEnd(flow, status, error);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** {@code flow} is also known by {@code key} (a server's object for its request). */
  public static void flowBind(Object flow, Object key) {
    try {
      Hooks h = hooks;
      if (h != null && flow != null && key != null) {
        h.flowBind(flow, key);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** The flow bound to {@code key}, or null. */
  public static Object flowFor(Object key) {
    try {
      Hooks h = hooks;
      return h == null || key == null ? null : h.flowFor(key);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  // --- waits ---

  /** A thread starts waiting on {@code waitedOn}; returns 0 when the wait is not recorded. */
  public static long blockEnter(Object waitedOn) {
    try {
      Hooks h = hooks;
      return h == null ? 0L : h.blockEnter(waitedOn);
    } catch (Throwable t) {
      error(t);
      return 0L;
    }
  }

  public static void blockExit(long startNanos, Object waitedOn, String kind) {
    try {
      if (startNanos != 0L) {
        Hooks h = hooks;
        if (h != null) {
          h.blockExit(startNanos, waitedOn, kind);
        }
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  // --- locks ---

  /**
   * The current thread waits to acquire {@code blocker}, a synchronizer another thread holds (the
   * contended path of {@code java.util.concurrent} locks); returns 0 when the wait is not recorded.
   */
  public static long lockAcquireEnter(Object blocker) {
    try {
      Hooks h = hooks;
      return h == null ? 0L : h.lockAcquireEnter(blocker);
    } catch (Throwable t) {
      error(t);
      return 0L;
    }
  }

  public static void lockAcquireExit(long startNanos, Object blocker) {
    try {
      if (startNanos != 0L) {
        Hooks h = hooks;
        if (h != null) {
          h.lockAcquireExit(startNanos, blocker);
        }
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * A virtual thread gave up its carrier (parked, blocked on a monitor, waited); on the carrier.
   */
  public static void virtualThreadYielded(Thread vthread) {
    try {
      Hooks h = hooks;
      if (h != null) {
        h.virtualThreadYielded(vthread);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** The monitor a virtual thread blocked on is handed to it; on the JDK's unblocker thread. */
  public static void virtualThreadUnblocked(Thread vthread) {
    try {
      Hooks h = hooks;
      if (h != null) {
        h.virtualThreadUnblocked(vthread);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  // --- futures ---

  /** The current thread has just completed {@code future}. */
  public static void futureCompleted(Object future) {
    try {
      Hooks h = hooks;
      if (h != null) {
        h.futureCompleted(future);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** A dependent action of {@code src} (and {@code snd}) runs on this thread. */
  public static Object completionEnter(Object src, Object snd) {
    try {
      Hooks h = hooks;
      return h == null ? null : h.completionEnter(src, snd);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  public static void completionExit(Object token) {
    try {
      Hooks h = hooks;
      if (h != null && token != null) {
        h.completionExit(token);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  // --- executors ---

  /**
   * A thread pool was created on this thread ({@code ThreadPoolExecutor}'s constructor returned):
   * where, for a suggestion to change its size.
   */
  public static void executorCreated(Object executor) {
    try {
      Hooks h = hooks;
      if (h != null) {
        h.executorCreated(executor);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** A task object that will run later was created on this thread. */
  public static void taskCreated(Object task) {
    try {
      Hooks h = hooks;
      if (h != null) {
        h.taskCreated(task);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  public static void taskSubmitted(Object task, Object executor) {
    try {
      Hooks h = hooks;
      if (h != null) {
        h.taskSubmitted(task, executor);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  public static Object taskEnter(Object task) {
    try {
      Hooks h = hooks;
      return h == null ? null : h.taskEnter(task);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  public static void taskExit(Object token) {
    try {
      Hooks h = hooks;
      if (h != null && token != null) {
        h.taskExit(token);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  public static Runnable wrap(Runnable task, Object executor) {
    try {
      Hooks h = hooks;
      if (h == null || task == null || task instanceof ContextRunnable) {
        return task;
      }
      Object token = h.capture(executor);
      return token == null ? task : new ContextRunnable(task, token);
    } catch (Throwable t) {
      error(t);
      return task;
    }
  }

  public static <T> Callable<T> wrap(Callable<T> task, Object executor) {
    try {
      Hooks h = hooks;
      if (h == null || task == null || task instanceof ContextCallable) {
        return task;
      }
      Object token = h.capture(executor);
      return token == null ? task : new ContextCallable<>(task, token);
    } catch (Throwable t) {
      error(t);
      return task;
    }
  }

  // --- calls ---

  /**
   * The application asked for an HTTP call. Returns the call's record, or null when it is not
   * recorded (outside any flow, or nested in another recorded call).
   */
  public static Object callEnter(
      Object key, String client, boolean sync, String method, String url, String host, int port) {
    try {
      Hooks h = hooks;
      return h == null ? null : h.callEnter(key, client, sync, method, url, host, port);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  /** The application's method that issued the call returned (or threw). */
  public static void callIssued(Object call, Object result, Throwable error) {
    try {
      Hooks h = hooks;
      if (h != null && call != null) {
        h.callIssued(call, result, error);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** The record of a call started earlier for {@code key} (an OkHttp call object), or null. */
  public static Object callFor(Object key) {
    try {
      Hooks h = hooks;
      return h == null || key == null ? null : h.callFor(key);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  /** A phase event of a call, named as in the trace contract. */
  public static void callEvent(Object call, String event) {
    try {
      Hooks h = hooks;
      if (h != null && call != null) {
        h.callEvent(call, event);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * The call may queue for a client's dispatcher or connection pool: {@code queueKind} is the limit
   * that would hold it (a {@code PoolKind} of the contract), {@code pool} the pool's name or the
   * pool object itself (then named by its class and identity, so that two pools of one class stay
   * apart), {@code limit} its limit in total and {@code perHostLimit} per host or route (0: none).
   */
  public static void callQueued(
      Object call, String queueKind, Object pool, int limit, int perHostLimit) {
    try {
      Hooks h = hooks;
      if (h != null && call != null) {
        h.callQueued(call, queueKind, pool, limit, perHostLimit);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * The trace-context headers the request of {@code call} is to carry, so that the service it calls
   * continues the trace below the call's span: name, value, name, value ({@code traceparent}, then
   * {@code tracestate} when there is one); null when none are to be sent (propagation off, the
   * OpenTelemetry Java agent propagates, the call is not recorded). The advice adds them with the
   * client's own API, unless the request carries a {@code traceparent} already.
   */
  public static String[] traceHeaders(Object call) {
    try {
      Hooks h = hooks;
      return h == null || call == null ? null : h.traceHeaders(call);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  /** Keeps every header of a JDK {@code HttpRequest} copied to add the trace-context ones. */
  public static final java.util.function.BiPredicate<String, String> ALL_HEADERS =
      (name, value) -> true;

  public static void callStatus(Object call, int status) {
    try {
      Hooks h = hooks;
      if (h != null && call != null) {
        h.callStatus(call, status);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  public static void callEnd(Object call, Throwable error) {
    try {
      Hooks h = hooks;
      if (h != null && call != null) {
        h.callEnd(call, error);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** The client's completion callback of {@code call} runs on this thread. */
  public static Object callbackEnter(Object call) {
    try {
      Hooks h = hooks;
      return h == null || call == null ? null : h.callbackEnter(call);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  public static void callbackExit(Object token) {
    try {
      Hooks h = hooks;
      if (h != null && token != null) {
        h.callbackExit(token);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** {@link #callContent} part: the request's header lines, {@code name: value\n}, UTF-8. */
  public static final int REQUEST_HEADERS = 1;

  /**
   * {@link #callContent} part: the request body, whole or in pieces; null bytes when the client has
   * a body it cannot show (a stream), which leaves the request's hash unknown.
   */
  public static final int REQUEST_BODY = 2;

  /** {@link #callContent} part: the response body, in pieces, as the application reads it. */
  public static final int RESPONSE_BODY = 3;

  /**
   * Content of a recorded call, for the request's keyed hash and data dependencies (see the parts
   * above); the bytes are read during the call only, and nothing of them is kept but keyed hashes.
   * Returns whether more of that part is wanted: false once the agent has seen enough (bounds), so
   * that a client can stop copying. Request content is reported when the call is issued, before its
   * response can arrive.
   */
  public static boolean callContent(Object call, int part, byte[] bytes, int offset, int length) {
    try {
      Hooks h = hooks;
      return h != null && call != null && h.callContent(call, part, bytes, offset, length);
    } catch (Throwable t) {
      error(t);
      return false;
    }
  }

  /** The JDK client looked for a pooled connection for the call being issued on this thread. */
  public static void connectionLookup(boolean reused) {
    try {
      Hooks h = hooks;
      if (h != null) {
        h.connectionLookup(reused);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * Lets the agent observe a recorded call's phases through an object of the client: returns what
   * the client should use instead (a JDK body handler is wrapped; an OkHttp call keeps its identity
   * and gets a listener chained in front of its own).
   */
  public static Object decorate(Object call, Object argument) {
    try {
      Hooks h = hooks;
      return h == null || call == null ? argument : h.decorate(call, argument);
    } catch (Throwable t) {
      error(t);
      return argument;
    }
  }

  // --- java.net.HttpURLConnection ---

  /** {@code connect()}: of the JDK's connection, or of its https delegate. */
  public static final int URL_CONNECT = 0;

  /** {@code getOutputStream()}. */
  public static final int URL_OUTPUT = 1;

  /** {@code getInputStream()}: what getResponseCode and getHeaderField* go through. */
  public static final int URL_INPUT = 2;

  /** The connection's client opens a new socket ({@code HttpClient.openServer}). */
  public static final int URL_PHASE_CONNECT_START = 0;

  public static final int URL_PHASE_CONNECT_END = 1;

  /** The https client's handshake on a new socket ({@code HttpsClient.afterConnect}). */
  public static final int URL_PHASE_TLS_START = 2;

  public static final int URL_PHASE_TLS_END = 3;

  /** The request's headers are written on the connection the call got ({@code writeRequests}). */
  public static final int URL_PHASE_WRITE = 4;

  /** The request is sent; the client reads the response headers ({@code HttpClient.parseHTTP}). */
  public static final int URL_PHASE_READ = 5;

  /** The response body ended: stream EOF or close, or the client finished with the connection. */
  public static final int URL_END_BODY = 0;

  /** {@code disconnect()}. */
  public static final int URL_END_DISCONNECT = 1;

  /**
   * The application entered one of {@code connect}, {@code getOutputStream}, {@code getInputStream}
   * ({@code op}, one of {@code URL_*}) of a JDK {@code HttpURLConnection}. Returns a token for
   * {@link #urlConnectionExit}, or null when nothing is recorded (outside any flow, nested in
   * another of these methods).
   */
  public static Object urlConnectionEnter(Object connection, int op) {
    try {
      Hooks h = hooks;
      return h == null ? null : h.urlConnectionEnter(connection, op);
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  /**
   * The method entered with {@code token} returned {@code result} or threw {@code error}; {@code
   * responseCode} and {@code httpClient} are the connection's fields at that moment.
   */
  public static void urlConnectionExit(
      Object token, int responseCode, Object httpClient, Object result, Throwable error) {
    try {
      Hooks h = hooks;
      if (h != null && token != null) {
        h.urlConnectionExit(token, responseCode, httpClient, result, error);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** A phase ({@code URL_PHASE_*}) of the connection this thread is inside, if any. */
  public static void urlConnectionPhase(int phase) {
    try {
      Hooks h = hooks;
      if (h != null) {
        h.urlConnectionPhase(phase);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * A response ended ({@code how}, one of {@code URL_END_*}); {@code key} is its stream, its
   * connection's client, or the connection.
   */
  public static void urlConnectionEnd(Object key, int how) {
    try {
      Hooks h = hooks;
      if (h != null) {
        h.urlConnectionEnd(key, how);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  // --- I/O outside recorded calls ---

  /**
   * A thread is about to block in a socket read or connect ({@code channel}: the NIO channel, to
   * skip non-blocking ones; null for a socket's own implementation). Returns the start time, or 0
   * when the operation is not counted: outside every flow this costs a thread-local read.
   */
  public static long socketEnter(Object channel) {
    try {
      Hooks h = hooks;
      return h == null ? 0L : h.socketEnter(channel);
    } catch (Throwable t) {
      error(t);
      return 0L;
    }
  }

  /** The socket operation begun at {@code startNanos} returned (or threw). */
  public static void socketExit(long startNanos, String kind) {
    try {
      if (startNanos != 0L) {
        Hooks h = hooks;
        if (h != null) {
          h.socketExit(startNanos, kind);
        }
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  // --- connection pools ---

  /**
   * The call that the current thread is issuing (inside the client's method the application
   * called), or null: classic clients lease, connect and send on that thread.
   */
  public static Object issuingCall() {
    try {
      Hooks h = hooks;
      return h == null ? null : h.issuingCall();
    } catch (Throwable t) {
      error(t);
      return null;
    }
  }

  /**
   * The client's method that issues a call learned what the request is after the call started (an
   * asynchronous client that is given a request producer): method, URL, host and port.
   */
  public static void callRequest(Object call, String method, String url, String host, int port) {
    try {
      Hooks h = hooks;
      if (h != null && call != null) {
        h.callRequest(call, method, url, host, port);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * The call leased a connection from its pool (the end of its queued phase): {@code connection}
   * stands for the lease until {@link #callReleased}, {@code reused} says whether it was open.
   */
  public static void callLeased(Object call, Object connection, boolean reused) {
    try {
      Hooks h = hooks;
      if (h != null && call != null) {
        h.callLeased(call, connection, reused);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * The connection of a lease went back to its pool (or was closed): a synchronous call whose
   * response was fully read or closed is complete.
   */
  public static void callReleased(Object connection) {
    try {
      Hooks h = hooks;
      if (h != null && connection != null) {
        h.callReleased(connection);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * A step of the call completes later, on whatever thread, through the client's future or callback
   * {@code key}: {@link #callAwaited} with that key then records {@code event} (a contract event
   * name; {@code dispatched} is a lease of a connection).
   */
  public static void callAwaits(Object call, Object key, String event) {
    try {
      Hooks h = hooks;
      if (h != null && call != null && key != null) {
        h.callAwaits(call, key, event);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** The step awaited through {@code key}, if any, completed with {@code result}. */
  public static void callAwaited(Object key, Object result) {
    try {
      Hooks h = hooks;
      if (h != null && key != null) {
        h.callAwaited(key, result);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** {@code call} is also known by {@code key} (a client's object for it), for {@link #callFor}. */
  public static void callKey(Object call, Object key) {
    try {
      Hooks h = hooks;
      if (h != null && call != null && key != null) {
        h.callKey(call, key);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * The call waits for a connection from a client's pool: its kind, name, the limit that applies to
   * the call's remote address, and how many may wait (-1 unbounded or unknown).
   */
  public static void callPool(Object call, String kind, String name, int limit, int pendingLimit) {
    try {
      Hooks h = hooks;
      if (h != null && call != null) {
        h.callPool(call, kind, name, limit, pendingLimit);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * The client runs its own work for the call on {@code executor}, one the application gave it (JDK
   * {@code HttpClient.Builder.executor}); nothing when null.
   */
  public static void callExecutor(Object call, Object executor) {
    try {
      Hooks h = hooks;
      if (h != null && call != null && executor != null) {
        h.callExecutor(call, executor);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * The application's line that is building a request, remembered for {@code key} (a request
   * builder) when the thread works in a flow: the call made from it later, from framework code
   * only, still points at that line.
   */
  public static void siteMark(Object key) {
    try {
      Hooks h = hooks;
      if (h != null && key != null) {
        h.siteMark(key);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** The next call issued on this thread comes from the line remembered for {@code key}, if any. */
  public static void siteNext(Object key) {
    try {
      Hooks h = hooks;
      if (h != null && key != null) {
        h.siteNext(key, true);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * As {@link #siteNext}, unless a line is already pending: a request object a framework built at
   * subscribe time knows the line less well than the framework's own builder did.
   */
  public static void siteDefault(Object key) {
    try {
      Hooks h = hooks;
      if (h != null && key != null) {
        h.siteNext(key, false);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * An {@code int} field of a library's object that no public method shows, or {@code fallback}.
   * Reflection: for values read once per recorded call at most, never on untraced paths.
   */
  public static int intField(Object o, String name, int fallback) {
    try {
      for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
        try {
          java.lang.reflect.Field f = c.getDeclaredField(name);
          f.setAccessible(true);
          return f.getInt(o);
        } catch (NoSuchFieldException next) {
          // declared higher up
        }
      }
      return fallback;
    } catch (Throwable t) {
      return fallback;
    }
  }

  // --- responses the application holds, and their bodies ---

  /**
   * The application has the response of {@code call} (the client's method returned it, or its
   * callback ran) and the client has not reported it done: the call ends when the body is read to
   * its end, closed, or its connection given back. {@code holder} is an object of the client that
   * the response and its body keep reachable (OkHttp's call): when it becomes unreachable first,
   * the response was dropped unclosed; null when no such object is known.
   */
  public static void responseHeld(Object call, Object holder) {
    try {
      Hooks h = hooks;
      if (h != null && call != null) {
        h.responseHeld(call, holder);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * {@code body}, an object the application reads a response body from, belongs to {@code call}.
   */
  public static void callBody(Object call, Object body) {
    try {
      Hooks h = hooks;
      if (h != null && call != null && body != null) {
        h.callBody(call, body);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /**
   * A thread is about to read from a response body: {@code key} is the client's call or the body
   * object ({@link #callBody}). Returns the start time, or 0 when the read is not recorded (outside
   * any flow: a thread-local read).
   */
  public static long bodyReadEnter(Object key) {
    try {
      Hooks h = hooks;
      return h == null || key == null ? 0L : h.bodyReadEnter(key);
    } catch (Throwable t) {
      error(t);
      return 0L;
    }
  }

  /** The read begun at {@code startNanos} returned {@code read} bytes (-1: the end of the body). */
  public static void bodyReadExit(long startNanos, long read) {
    try {
      if (startNanos != 0L) {
        Hooks h = hooks;
        if (h != null) {
          h.bodyReadExit(startNanos, read);
        }
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** The application closed a response body ({@code key}: as for {@link #bodyReadEnter}). */
  public static void bodyClosed(Object key) {
    try {
      Hooks h = hooks;
      if (h != null && key != null) {
        h.bodyClosed(key);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

  /** What the recorder implements; JDK types only, so it can live on the bootstrap path. */
  public interface Hooks {
    void adviceError(Throwable t);

    Object flowEnter(String name, String method, String path, String traceparent);

    /** With the inbound {@code tracestate}; without one, as the four-argument form. */
    default Object flowEnter(
        String name, String method, String path, String traceparent, String tracestate) {
      return flowEnter(name, method, path, traceparent);
    }

    /** See {@link Bridge#flowSkipped}; null: go on with {@code flowEnter}. */
    default Object flowSkipped() {
      return null;
    }

    void flowExit(Object token, int status, Throwable error);

    Object methodEnter(String className, String methodName);

    void methodExit(Object token, Throwable error);

    Object flowHandle(Object token);

    void flowRoute(Object flow, String route);

    Object flowDetach(Object token);

    Object flowAttach(Object flow);

    void flowAttachExit(Object token);

    void flowReleased(Object flow);

    boolean flowCompleting(Object flow);

    boolean flowCompleteRequested(Object flow);

    void flowEnd(Object flow, int status, Throwable error);

    void flowBind(Object flow, Object key);

    Object flowFor(Object key);

    long blockEnter(Object waitedOn);

    void blockExit(long startNanos, Object waitedOn, String kind);

    long lockAcquireEnter(Object blocker);

    void lockAcquireExit(long startNanos, Object blocker);

    void virtualThreadYielded(Thread vthread);

    void virtualThreadUnblocked(Thread vthread);

    void futureCompleted(Object future);

    Object completionEnter(Object src, Object snd);

    void completionExit(Object token);

    void executorCreated(Object executor);

    void taskCreated(Object task);

    void taskSubmitted(Object task, Object executor);

    Object taskEnter(Object task);

    void taskExit(Object token);

    Object capture(Object executor);

    Object callEnter(
        Object key, String client, boolean sync, String method, String url, String host, int port);

    void callIssued(Object call, Object result, Throwable error);

    Object callFor(Object key);

    void callEvent(Object call, String event);

    void callQueued(Object call, String queueKind, Object pool, int limit, int perHostLimit);

    String[] traceHeaders(Object call);

    void callStatus(Object call, int status);

    void callEnd(Object call, Throwable error);

    Object callbackEnter(Object call);

    void callbackExit(Object token);

    Object decorate(Object call, Object argument);

    boolean callContent(Object call, int part, byte[] bytes, int offset, int length);

    void connectionLookup(boolean reused);

    Object urlConnectionEnter(Object connection, int op);

    void urlConnectionExit(
        Object token, int responseCode, Object httpClient, Object result, Throwable error);

    void urlConnectionPhase(int phase);

    void urlConnectionEnd(Object key, int how);

    long socketEnter(Object channel);

    void socketExit(long startNanos, String kind);

    Object issuingCall();

    void callRequest(Object call, String method, String url, String host, int port);

    void callLeased(Object call, Object connection, boolean reused);

    void callReleased(Object connection);

    void callAwaits(Object call, Object key, String event);

    void callAwaited(Object key, Object result);

    void callKey(Object call, Object key);

    void callPool(Object call, String kind, String name, int limit, int pendingLimit);

    void callExecutor(Object call, Object executor);

    void siteMark(Object key);

    void siteNext(Object key, boolean override);

    void responseHeld(Object call, Object holder);

    void callBody(Object call, Object body);

    long bodyReadEnter(Object key);

    void bodyReadExit(long startNanos, long read);

    void bodyClosed(Object key);
  }

  /**
   * Ends a flow when run: handed to a server's event loop behind the response's last write, so that
   * the flow ends when the response is out, not when another thread queued it.
   */
  public static Runnable flowEndTask(Object flow, int status, Throwable error) {
    return new FlowEnd(flow, status, error);
  }

  /** See {@link #flowEndTask}. */
  public static final class FlowEnd implements Runnable {
    private final Object flow;
    private final int status;
    private final Throwable error;

    FlowEnd(Object flow, int status, Throwable error) {
      this.flow = flow;
      this.status = status;
      this.error = error;
    }

    @Override
    public void run() {
      flowEnd(flow, status, error);
    }
  }

  /** A runnable handed to an executor from inside a flow: runs in that flow's context. */
  public static final class ContextRunnable implements Runnable {
    private final Runnable delegate;
    private final Object token;

    ContextRunnable(Runnable delegate, Object token) {
      this.delegate = delegate;
      this.token = token;
    }

    @Override
    public void run() {
      Object scope = taskEnter(token);
      try {
        delegate.run();
      } finally {
        taskExit(scope);
      }
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }

  /** A callable handed to an executor from inside a flow: runs in that flow's context. */
  public static final class ContextCallable<T> implements Callable<T> {
    private final Callable<T> delegate;
    private final Object token;

    ContextCallable(Callable<T> delegate, Object token) {
      this.delegate = delegate;
      this.token = token;
    }

    @Override
    public T call() throws Exception {
      Object scope = taskEnter(token);
      try {
        return delegate.call();
      } finally {
        taskExit(scope);
      }
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
