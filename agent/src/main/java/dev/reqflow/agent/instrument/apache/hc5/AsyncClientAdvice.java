package dev.reqflow.agent.instrument.apache.hc5;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Client;
import java.util.concurrent.Future;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;

/**
 * Advice woven into Apache HttpClient 5.x's async client ({@code InternalAbstractHttpAsyncClient},
 * behind {@code HttpAsyncClients.createDefault()} and {@code custom()}): {@code doExecute}, which
 * every {@code execute} form of {@code CloseableHttpAsyncClient} calls once. The call is issued
 * here; the request producer names the request ({@link RequestProducerAdvice}), the response
 * consumer stands for the call until the response arrives ({@link ResponseConsumerAdvice}), and the
 * returned future ends it when it completes ({@link BasicFutureAdvice}).
 */
final class AsyncClientAdvice {
  private AsyncClientAdvice() {}

  /** {@code doExecute(HttpHost, producer, consumer, push handlers, HttpContext, callback)}. */
  static final class DoExecute {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(
        @Advice.Argument(0) HttpHost target,
        @Advice.Argument(2) AsyncResponseConsumer<?> consumer) {
      Object rec =
          Bridge.callEnter(consumer, Client.APACHE_HTTPCLIENT5_ASYNC, false, null, null, null, 0);
      if (rec != null && target != null) {
        int port = target.getPort();
        if (port < 0) {
          port = "https".equalsIgnoreCase(target.getSchemeName()) ? 443 : 80;
        }
        Bridge.callRequest(rec, null, null, target.getHostName(), port);
      }
      return rec;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter Object rec, @Advice.Return Future<?> future, @Advice.Thrown Throwable error) {
      if (rec != null) {
        Bridge.callIssued(rec, future, error);
      }
    }
  }
}
