package dev.reqflow.agent.instrument.urlconnection;

import dev.reqflow.agent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Advice woven into the JDK's {@code HttpURLConnection} implementation and its client, all in
 * {@code java.base}: it names only the bridge and JDK types, and reads the JDK's own fields as
 * plain values ({@code sun.net.www} is not exported, so nothing here may name its types).
 */
final class UrlConnectionAdvice {
  private UrlConnectionAdvice() {}

  /** {@code connect()} of the connection, or of the https delegate (which adds the handshake). */
  static final class Connect {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object connection) {
      return Bridge.urlConnectionEnter(connection, Bridge.URL_CONNECT);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token, @Advice.Thrown Throwable error) {
      if (token != null) {
        Bridge.urlConnectionExit(token, -1, null, null, error);
      }
    }
  }

  /** {@code getOutputStream()}: connects, and writes the headers of a streamed request body. */
  static final class Output {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object connection) {
      return Bridge.urlConnectionEnter(connection, Bridge.URL_OUTPUT);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token, @Advice.Thrown Throwable error) {
      if (token != null) {
        Bridge.urlConnectionExit(token, -1, null, null, error);
      }
    }
  }

  /**
   * {@code getInputStream()}: sends the request, reads the response's headers, follows redirects;
   * {@code getResponseCode} and {@code getHeaderField*} come through here.
   */
  static final class Input {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object connection) {
      return Bridge.urlConnectionEnter(connection, Bridge.URL_INPUT);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter Object token,
        @Advice.FieldValue("responseCode") int responseCode,
        @Advice.FieldValue("http") Object httpClient,
        @Advice.Return Object stream,
        @Advice.Thrown Throwable error) {
      if (token != null) {
        Bridge.urlConnectionExit(token, responseCode, httpClient, stream, error);
      }
    }
  }

  /** {@code disconnect()}: the application is done with the connection, response or not. */
  static final class Disconnect {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object connection) {
      Bridge.urlConnectionEnd(connection, Bridge.URL_END_DISCONNECT);
    }
  }

  /** {@code writeRequests()}: connected (and through TLS), the request's headers go out. */
  static final class Write {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
      Bridge.urlConnectionPhase(Bridge.URL_PHASE_WRITE);
    }
  }

  /** {@code HttpClient.openServer()}: a new socket (DNS and TCP connect). */
  static final class OpenServer {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
      Bridge.urlConnectionPhase(Bridge.URL_PHASE_CONNECT_START);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit() {
      Bridge.urlConnectionPhase(Bridge.URL_PHASE_CONNECT_END);
    }
  }

  /** {@code HttpsClient.afterConnect()}: the TLS handshake on a socket that is not cached. */
  static final class Handshake {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
      Bridge.urlConnectionPhase(Bridge.URL_PHASE_TLS_START);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit() {
      Bridge.urlConnectionPhase(Bridge.URL_PHASE_TLS_END);
    }
  }

  /** {@code HttpClient.parseHTTP(..)}: the request is out, the client waits for the response. */
  static final class ParseHttp {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
      Bridge.urlConnectionPhase(Bridge.URL_PHASE_READ);
    }
  }

  /**
   * {@code HttpClient.finished()}: the body was read to its last byte (or was empty), and the
   * connection goes back to the keep-alive cache.
   */
  static final class Finished {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object httpClient) {
      Bridge.urlConnectionEnd(httpClient, Bridge.URL_END_BODY);
    }
  }

  /**
   * The response stream's {@code read} methods: a flow's thread reading waits on the call (outside
   * any flow a thread-local read); the end of file ends the call.
   */
  static final class StreamRead {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object stream) {
      return Bridge.bodyReadEnter(stream);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This Object stream, @Advice.Return int n) {
      if (n < 0) {
        Bridge.urlConnectionEnd(stream, Bridge.URL_END_BODY);
      }
      Bridge.bodyReadExit(start, n);
    }
  }

  /** The response stream's {@code close()}. */
  static final class StreamClose {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Object stream) {
      Bridge.urlConnectionEnd(stream, Bridge.URL_END_BODY);
    }
  }
}
