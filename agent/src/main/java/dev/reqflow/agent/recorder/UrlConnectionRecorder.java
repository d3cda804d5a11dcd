package dev.reqflow.agent.recorder;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.Client;
import dev.reqflow.contract.TraceContract.Event;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls through the JDK's {@code HttpURLConnection} ({@code sun.net.www.protocol.http}, and https
 * through its delegate): one call per connection object, however many of its methods the
 * application or a library (RestTemplate, RestClient, Feign) calls, redirects followed inside it
 * included.
 *
 * <ul>
 *   <li>Issued at the first of {@code connect}, {@code getOutputStream}, {@code getInputStream}
 *       (what {@code getResponseCode} and {@code getHeaderField*} go through) inside a flow: the
 *       first request I/O. The application is then inside the client until the method returns, and
 *       a thread that spends longer there than the block threshold waits on the call (a block span
 *       linked to it).
 *   <li>Phases: {@code connect.start/end} when the call opened a socket, {@code tls.start/end} for
 *       the https handshake on it, {@code connection.acquired} when the request is written ({@code
 *       reqflow.connection.reused} when no socket was opened for it), {@code request.sent} when the
 *       client starts reading the response, {@code response.first_byte} when {@code getInputStream}
 *       has the final response's headers.
 *   <li>Ended by the first of: the response stream's end of file or close, the client finishing
 *       with the connection (the last byte of a body of known length was read, or the body was
 *       empty), {@code disconnect()}, an I/O error, or an error status (400 and up: the JDK throws
 *       once it has the response, and has buffered a small error body by then). A response the
 *       application never reads to its end nor closes is ended incomplete ({@link OpenResponses}):
 *       when the connection object becomes unreachable, after its flow, or at exit.
 *   <li>Reads of the response stream by a flow's thread are the call's download and that thread's
 *       wait ({@link BodyReads}).
 * </ul>
 *
 * <p>The JDK's keep-alive cache is the client's only pool: it keeps at most {@code
 * http.maxConnections} idle connections per destination and never makes a call wait for one (a call
 * beyond them opens its own), so it is named as a connection pool, not as a queue.
 */
final class UrlConnectionRecorder {
  static final String CONNECTION_POOL = "jdk-keep-alive-cache";

  /**
   * The JDK's default for {@code http.maxConnections} ({@code sun.net.www.http.KeepAliveCache}).
   */
  private static final int DEFAULT_MAX_IDLE = 5;

  /** The call whose client method this thread is inside, for the client's own phase hooks. */
  private static final ThreadLocal<UrlConnectionCall> INSIDE = new ThreadLocal<>();

  private final CallRecorder calls;
  private final WaitRecorder waits;
  private final Followed followed;

  /**
   * Calls issued and not finished. While there are none, the hooks that every connection of the
   * process passes (phases, stream ends) return before any look-up.
   */
  private final AtomicInteger open = new AtomicInteger();

  private volatile int maxIdle;

  /** The trace-context headers a connection's request carries (set by the recorder). */
  volatile TraceHeaders traceHeaders = new TraceHeaders(false);

  UrlConnectionRecorder(CallRecorder calls, WaitRecorder waits, Followed followed) {
    this.calls = calls;
    this.waits = waits;
    this.followed = followed;
  }

  Object enter(Object connection, int op) {
    ThreadState ts = ThreadState.peek();
    if (ts == null
        || ts.flow == null
        || ts.callDepth > 0
        || !(connection instanceof HttpURLConnection)) {
      return null;
    }
    UrlConnectionCall call = followed.urlConnections.get(connection);
    boolean issued = false;
    if (call == null) {
      call = issue((HttpURLConnection) connection, op);
      if (call == null) {
        return null;
      }
      issued = true;
    } else if (call.finished.get() || call.responded) {
      // Nothing left to wait for in these methods: the response is there (Spring reads each
      // header through getInputStream), or the call is over.
      return null;
    } else {
      ts.callDepth++;
    }
    INSIDE.set(call);
    return new Token(call, connection, waits.blockEnter(call.rec), issued, op);
  }

  private UrlConnectionCall issue(HttpURLConnection c, int op) {
    URL u = c.getURL();
    String method = c.getRequestMethod();
    if (op == Bridge.URL_OUTPUT && "GET".equals(method)) {
      // What getOutputStream makes of it.
      method = "POST";
    }
    int port = u.getPort() > 0 ? u.getPort() : u.getDefaultPort();
    CallRecord rec =
        (CallRecord)
            calls.callEnter(
                null, Client.HTTP_URL_CONNECTION, true, method, u.toString(), u.getHost(), port);
    if (rec == null) {
      return null;
    }
    traceHeaders.addTo(c, rec.context);
    rec.span.setAttribute(Attr.CONNECTION_POOL_NAME, CONNECTION_POOL);
    rec.span.setAttribute(Attr.CONNECTION_POOL_MAX_IDLE, maxIdle());
    UrlConnectionCall call = new UrlConnectionCall(rec);
    followed.urlConnections.put(c, call);
    open.incrementAndGet();
    return call;
  }

  void exit(Object token, int responseCode, Object httpClient, Object result, Throwable error) {
    Token t = (Token) token;
    UrlConnectionCall call = t.call;
    INSIDE.set(null);
    if (t.issued) {
      calls.leaveClient(call.rec);
    } else {
      ThreadState ts = ThreadState.peek();
      if (ts != null && ts.callDepth > 0) {
        ts.callDepth--;
      }
    }
    if (t.blockStart != 0L) {
      waits.blockExit(t.blockStart, call.rec, BlockKind.HTTP_URL_CONNECTION);
    }
    if (call.finished.get()) {
      return;
    }
    if (responseCode > 0 && !call.responded) {
      calls.callStatus(call.rec, responseCode);
      calls.callEvent(call.rec, Event.RESPONSE_FIRST_BYTE);
    }
    if (error != null) {
      // An error status is thrown once the response is there: its status is the error.
      finish(call, responseCode >= 400 ? null : error, false);
      return;
    }
    if (t.op != Bridge.URL_INPUT || result == null || call.responded) {
      return;
    }
    call.responded = true;
    if (httpClient == null) {
      // HEAD, 204, 304, an empty body, a cached response: the JDK has finished with it already.
      finish(call, null, true);
      return;
    }
    followed.urlConnections.put(result, call);
    followed.urlConnections.put(httpClient, call);
    // The connection is what the application's stream keeps reachable (an inner class of it).
    calls.responseHeld(call.rec, t.connection);
  }

  void phase(int phase) {
    if (open.get() == 0) {
      return;
    }
    UrlConnectionCall call = INSIDE.get();
    if (call == null || call.finished.get()) {
      return;
    }
    CallRecord rec = call.rec;
    switch (phase) {
      case Bridge.URL_PHASE_CONNECT_START:
        calls.callEvent(rec, Event.CONNECT_START);
        break;
      case Bridge.URL_PHASE_CONNECT_END:
        calls.callEvent(rec, Event.CONNECT_END);
        break;
      case Bridge.URL_PHASE_TLS_START:
        // The handshake of a socket this call opened; a cached one skips it.
        if (rec.connectSeen && !call.tlsStarted) {
          call.tlsStarted = true;
          calls.callEvent(rec, Event.TLS_START);
        }
        break;
      case Bridge.URL_PHASE_TLS_END:
        if (call.tlsStarted && !call.tlsEnded) {
          call.tlsEnded = true;
          calls.callEvent(rec, Event.TLS_END);
        }
        break;
      case Bridge.URL_PHASE_WRITE:
        // Once connected (and through TLS): the connection this call got, new or from the cache.
        calls.callEvent(rec, Event.CONNECTION_ACQUIRED);
        break;
      case Bridge.URL_PHASE_READ:
        if (!call.requestSent) {
          call.requestSent = true;
          calls.callEvent(rec, Event.REQUEST_SENT);
        }
        break;
      default:
        break;
    }
  }

  void end(Object key, int how) {
    if (open.get() == 0) {
      return;
    }
    UrlConnectionCall call = followed.urlConnections.get(key);
    if (call == null) {
      return;
    }
    if (how == Bridge.URL_END_DISCONNECT) {
      finish(call, null, false);
      return;
    }
    // A stream or a client: the connection's own entry stays, so that later calls of its
    // methods still find the call.
    followed.urlConnections.remove(key);
    if (call.responded) {
      finish(call, null, true);
    }
  }

  private void finish(UrlConnectionCall call, Throwable error, boolean bodyDone) {
    if (!call.finished.compareAndSet(false, true)) {
      return;
    }
    open.decrementAndGet();
    if (bodyDone) {
      calls.callEvent(call.rec, Event.RESPONSE_BODY_DONE);
    }
    calls.endCall(call.rec, error);
  }

  /** {@code http.maxConnections} as the JDK reads it: a positive number, else 5. */
  private int maxIdle() {
    int m = maxIdle;
    if (m == 0) {
      m = Integer.getInteger("http.maxConnections", DEFAULT_MAX_IDLE);
      if (m <= 0) {
        m = DEFAULT_MAX_IDLE;
      }
      maxIdle = m;
    }
    return m;
  }

  /** What a client method entered in a flow carries to its exit. */
  private static final class Token {
    final UrlConnectionCall call;
    final Object connection;
    final long blockStart;
    final boolean issued;
    final int op;

    Token(UrlConnectionCall call, Object connection, long blockStart, boolean issued, int op) {
      this.call = call;
      this.connection = connection;
      this.blockStart = blockStart;
      this.issued = issued;
      this.op = op;
    }
  }
}
