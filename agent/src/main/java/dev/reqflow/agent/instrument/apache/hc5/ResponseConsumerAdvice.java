package dev.reqflow.agent.instrument.apache.hc5;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Event;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Advice woven into Apache HttpCore 5's response consumers ({@code AbstractAsyncResponseConsumer},
 * which {@code SimpleResponseConsumer} extends, and {@code BasicResponseConsumer}): {@code
 * consumeResponse} runs on an I/O thread when the response's head arrived.
 */
final class ResponseConsumerAdvice {
  private ResponseConsumerAdvice() {}

  static final class ConsumeResponse {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object consumer, @Advice.Argument(0) HttpResponse response) {
      Object rec = Bridge.callFor(consumer);
      if (rec != null) {
        Bridge.callEvent(rec, Event.RESPONSE_FIRST_BYTE);
        if (response != null) {
          Bridge.callStatus(rec, response.getCode());
        }
      }
    }
  }
}
