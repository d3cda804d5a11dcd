package dev.reqflow.agent.instrument.apache.hc5;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Event;
import net.bytebuddy.asm.Advice;

/**
 * Advice woven into Apache HttpClient 5.x's classic {@code PoolingHttpClientConnectionManager}, on
 * the thread that issues the call: the connect of a new connection (TLS included: the manager does
 * both in one step). The lease is seen from the call's runtime ({@link ExecRuntimeAdvice}).
 */
final class ConnectionManagerAdvice {
  private ConnectionManagerAdvice() {}

  /** {@code connect(ConnectionEndpoint, TimeValue, HttpContext)}: a new connection. */
  static final class Connect {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter() {
      Object rec = Bridge.issuingCall();
      if (rec != null) {
        Bridge.callEvent(rec, Event.CONNECT_START);
      }
      return rec;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object rec, @Advice.Thrown Throwable error) {
      if (rec != null && error == null) {
        Bridge.callEvent(rec, Event.CONNECT_END);
      }
    }
  }
}
