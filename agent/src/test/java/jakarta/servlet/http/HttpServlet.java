package jakarta.servlet.http;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/** Test stand-in for the servlet API class of this name, with its two {@code service} methods. */
public abstract class HttpServlet {
  public void service(ServletRequest req, ServletResponse res) throws Exception {
    service((HttpServletRequest) req, (HttpServletResponse) res);
  }

  protected abstract void service(HttpServletRequest req, HttpServletResponse res) throws Exception;
}
