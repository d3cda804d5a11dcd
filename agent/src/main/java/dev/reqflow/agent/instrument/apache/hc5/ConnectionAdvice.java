package dev.reqflow.agent.instrument.apache.hc5;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Event;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * Advice woven into Apache HttpCore 5's {@code DefaultBHttpClientConnection} (the classic client's
 * connections): {@code receiveResponseHeader} starts once the request is written and flushed, and
 * returns with the response's head.
 */
final class ConnectionAdvice {
  private ConnectionAdvice() {}

  static final class ReceiveResponseHeader {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter() {
      Object rec = Bridge.issuingCall();
      if (rec != null) {
        Bridge.callEvent(rec, Event.REQUEST_SENT);
      }
      return rec;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object rec, @Advice.Return ClassicHttpResponse response) {
      if (rec != null && response != null) {
        Bridge.callEvent(rec, Event.RESPONSE_FIRST_BYTE);
        Bridge.callStatus(rec, response.getCode());
      }
    }
  }
}
