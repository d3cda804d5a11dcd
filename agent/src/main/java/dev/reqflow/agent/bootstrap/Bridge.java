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

  /** Queueing in an HTTP client's own dispatcher: kind, limit and per-host limit. */
  public static void callQueued(Object call, String queueKind, int limit, int perHostLimit) {
    try {
      Hooks h = hooks;
      if (h != null && call != null) {
        h.callQueued(call, queueKind, limit, perHostLimit);
      }
    } catch (Throwable t) {
      error(t);
    }
  }

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

  /** What the recorder implements; JDK types only, so it can live on the bootstrap path. */
  public interface Hooks {
    void adviceError(Throwable t);

    Object flowEnter(String name, String method, String path, String traceparent);

    void flowExit(Object token, int status, Throwable error);

    Object methodEnter(String className, String methodName);

    void methodExit(Object token, Throwable error);

    long blockEnter(Object waitedOn);

    void blockExit(long startNanos, Object waitedOn, String kind);

    long lockAcquireEnter(Object blocker);

    void lockAcquireExit(long startNanos, Object blocker);

    void virtualThreadYielded(Thread vthread);

    void virtualThreadUnblocked(Thread vthread);

    void futureCompleted(Object future);

    Object completionEnter(Object src, Object snd);

    void completionExit(Object token);

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

    void callQueued(Object call, String queueKind, int limit, int perHostLimit);

    void callStatus(Object call, int status);

    void callEnd(Object call, Throwable error);

    Object callbackEnter(Object call);

    void callbackExit(Object token);

    Object decorate(Object call, Object argument);

    void connectionLookup(boolean reused);

    Object urlConnectionEnter(Object connection, int op);

    void urlConnectionExit(
        Object token, int responseCode, Object httpClient, Object result, Throwable error);

    void urlConnectionPhase(int phase);

    void urlConnectionEnd(Object key, int how);
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
