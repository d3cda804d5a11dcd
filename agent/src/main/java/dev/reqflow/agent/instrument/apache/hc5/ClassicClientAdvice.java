package dev.reqflow.agent.instrument.apache.hc5;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.Client;
import java.net.URI;
import java.net.URISyntaxException;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHost;

/**
 * Advice woven into Apache HttpClient 5.x's classic clients ({@code InternalHttpClient}, {@code
 * MinimalHttpClient}): {@code doExecute}, which every {@code execute} and {@code executeOpen} form
 * of {@code CloseableHttpClient} goes through once (redirects and retries run inside it). The call
 * is issued here; it ends when its connection goes back to the pool, that is when the application
 * has read the response's body to its end or closed the response ({@link ExecRuntimeAdvice}).
 * Inside a response-handler {@code execute} the call is that method's ({@link
 * ResponseHandlerAdvice}) and this advice records nothing.
 */
final class ClassicClientAdvice {
  private ClassicClientAdvice() {}

  /** {@code doExecute(HttpHost, ClassicHttpRequest, HttpContext)}. */
  static final class DoExecute {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object[] enter(
        @Advice.Argument(0) HttpHost target, @Advice.Argument(1) ClassicHttpRequest request) {
      // Described once it is recorded: outside a flow, nothing is computed or allocated.
      Object rec = Bridge.callEnter(null, Client.APACHE_HTTPCLIENT5, true, null, null, null, 0);
      if (rec == null) {
        return null;
      }
      try {
        URI u = request.getUri();
        String scheme = target != null ? target.getSchemeName() : u.getScheme();
        String host = target != null ? target.getHostName() : u.getHost();
        int port = target != null ? target.getPort() : u.getPort();
        if (port < 0) {
          port = "https".equalsIgnoreCase(scheme) ? 443 : 80;
        }
        String url =
            u.isAbsolute() || target == null
                ? u.toString()
                : target.toURI().concat(request.getRequestUri());
        Bridge.callRequest(rec, request.getMethod(), url, host, port);
      } catch (RuntimeException | URISyntaxException e) {
        // A request URI that is no URI: the call is recorded without one, and still ends.
      }
      // The request object is the application's: the headers added go again when it returns.
      String[] trace = Bridge.traceHeaders(rec);
      if (trace != null && request.containsHeader(trace[0])) {
        trace = null;
      }
      for (int i = 0; trace != null && i + 1 < trace.length; i += 2) {
        request.setHeader(trace[i], trace[i + 1]);
      }
      return new Object[] {rec, Bridge.blockEnter(rec), trace, request};
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter Object[] state,
        @Advice.Return ClassicHttpResponse response,
        @Advice.Thrown Throwable error) {
      if (state != null) {
        String[] trace = (String[]) state[2];
        for (int i = 0; trace != null && i < trace.length; i += 2) {
          ((ClassicHttpRequest) state[3]).removeHeaders(trace[i]);
        }
        Bridge.blockExit((Long) state[1], state[0], BlockKind.APACHE_EXECUTE);
        if (response != null) {
          Bridge.callStatus(state[0], response.getCode());
        }
        Bridge.callIssued(state[0], response, error);
      }
    }
  }
}
