package dev.reqflow.agent.instrument.apache.hc5;

import dev.reqflow.agent.bootstrap.Bridge;
import java.net.URI;
import java.net.URISyntaxException;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.HttpRequest;

/**
 * Advice woven into Apache HttpCore 5's {@code BasicRequestProducer} (what {@code
 * SimpleRequestProducer} and {@code AsyncRequestBuilder} make): the async client has it send its
 * request while the call is being issued, which is when the call learns its method and URL. A
 * producer of another kind leaves the call named by its host only, and without trace-context
 * headers.
 */
final class RequestProducerAdvice {
  private RequestProducerAdvice() {}

  /** {@code sendRequest(RequestChannel, HttpContext)}. */
  static final class SendRequest {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static String[] enter(@Advice.FieldValue("request") HttpRequest request) {
      Object rec = Bridge.issuingCall();
      if (rec == null || request == null) {
        return null;
      }
      try {
        URI u = request.getUri();
        int port = u.getPort();
        if (port < 0) {
          port = "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
        }
        Bridge.callRequest(rec, request.getMethod(), u.toString(), u.getHost(), port);
      } catch (RuntimeException | URISyntaxException e) {
        // A request URI that is no URI: the call keeps the name it had.
      }
      String[] trace = Bridge.traceHeaders(rec);
      if (trace == null || request.containsHeader(trace[0])) {
        return null; // none to send, or the application's own instrumentation sent one
      }
      for (int i = 0; i + 1 < trace.length; i += 2) {
        request.setHeader(trace[i], trace[i + 1]);
      }
      return trace;
    }

    /**
     * The request is the application's object, and may be sent again by a later call: the headers
     * added leave with this sending (the client has copied the request's head into its exchange by
     * the time {@code sendRequest} returns), so that a later call carries its own trace context
     * rather than this call's.
     */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter String[] trace, @Advice.FieldValue("request") HttpRequest request) {
      for (int i = 0; trace != null && i < trace.length; i += 2) {
        request.removeHeaders(trace[i]);
      }
    }
  }
}
