package dev.reqflow.agent.instrument.apache.hc5;

import dev.reqflow.agent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.classic.ExecRuntime;

/**
 * Advice woven into Apache HttpClient 5.x's {@code InternalExecRuntime}, which holds one classic
 * call's connection: it leases it ({@code acquireEndpoint}, on the thread that issues the call) and
 * gives it back ({@code releaseEndpoint} when the response body was read to its end, {@code
 * discardEndpoint} when the response was closed before or the call failed, {@code cancel}). The
 * runtime stands for the lease.
 */
final class ExecRuntimeAdvice {
  private ExecRuntimeAdvice() {}

  /** {@code acquireEndpoint}: the connection pool granted the lease; the queued phase ends. */
  static final class Acquire {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This ExecRuntime runtime) {
      Object rec = Bridge.issuingCall();
      if (rec != null) {
        Bridge.callLeased(rec, runtime, runtime.isEndpointConnected());
      }
    }
  }

  /** {@code releaseEndpoint}, {@code discardEndpoint}, {@code cancel}. */
  static final class Release {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Object runtime) {
      Bridge.callReleased(runtime);
    }
  }
}
