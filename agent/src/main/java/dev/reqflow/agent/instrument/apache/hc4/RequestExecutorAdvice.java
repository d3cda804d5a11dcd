package dev.reqflow.agent.instrument.apache.hc4;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Event;
import net.bytebuddy.asm.Advice;
import org.apache.http.HttpResponse;

/**
 * Advice woven into Apache HttpCore 4's {@code HttpRequestExecutor}: {@code doReceiveResponse}
 * starts once the request is sent, and returns with the response's head.
 */
final class RequestExecutorAdvice {
  private RequestExecutorAdvice() {}

  static final class ReceiveResponse {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter() {
      Object rec = Bridge.issuingCall();
      if (rec != null) {
        Bridge.callEvent(rec, Event.REQUEST_SENT);
      }
      return rec;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object rec, @Advice.Return HttpResponse response) {
      if (rec != null && response != null) {
        Bridge.callEvent(rec, Event.RESPONSE_FIRST_BYTE);
        if (response.getStatusLine() != null) {
          Bridge.callStatus(rec, response.getStatusLine().getStatusCode());
        }
      }
    }
  }
}
