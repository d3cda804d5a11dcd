package dev.reqflow.agent.instrument.apache.hc4;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.Client;
import java.net.URI;
import net.bytebuddy.asm.Advice;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.RequestLine;
import org.apache.http.client.methods.CloseableHttpResponse;

/**
 * Advice woven into Apache HttpClient 4.x's clients ({@code InternalHttpClient}, {@code
 * MinimalHttpClient}): {@code doExecute}, which every {@code execute} form of {@code
 * CloseableHttpClient} goes through once (redirects and retries run inside it). The call is issued
 * here; leased from a {@code PoolingHttpClientConnectionManager}, it ends when the connection goes
 * back to the pool, that is when the application has read the response's body to its end or closed
 * the response ({@link ConnectionManagerAdvice}); otherwise when {@code doExecute} returns.
 */
final class ClientAdvice {
  private ClientAdvice() {}

  /** {@code doExecute(HttpHost, HttpRequest, HttpContext)}. */
  static final class DoExecute {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object[] enter(
        @Advice.Argument(0) HttpHost target, @Advice.Argument(1) HttpRequest request) {
      Object rec = Bridge.callEnter(null, Client.APACHE_HTTPCLIENT4, true, null, null, null, 0);
      if (rec == null) {
        return null;
      }
      try {
        RequestLine line = request.getRequestLine();
        URI u = URI.create(line.getUri());
        String scheme = target != null ? target.getSchemeName() : u.getScheme();
        String host = target != null ? target.getHostName() : u.getHost();
        int port = target != null ? target.getPort() : u.getPort();
        if (port < 0) {
          port = "https".equalsIgnoreCase(scheme) ? 443 : 80;
        }
        String url =
            u.isAbsolute() || target == null ? line.getUri() : target.toURI().concat(line.getUri());
        Bridge.callRequest(rec, line.getMethod(), url, host, port);
      } catch (RuntimeException e) {
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
        @Advice.Return CloseableHttpResponse response,
        @Advice.Thrown Throwable error) {
      if (state != null) {
        String[] trace = (String[]) state[2];
        for (int i = 0; trace != null && i < trace.length; i += 2) {
          ((HttpRequest) state[3]).removeHeaders(trace[i]);
        }
        Bridge.blockExit((Long) state[1], state[0], BlockKind.APACHE_EXECUTE);
        if (response != null && response.getStatusLine() != null) {
          Bridge.callStatus(state[0], response.getStatusLine().getStatusCode());
        }
        Bridge.callIssued(state[0], response, error);
      }
    }
  }
}
