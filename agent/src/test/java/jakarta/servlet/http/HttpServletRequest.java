package jakarta.servlet.http;

import jakarta.servlet.ServletRequest;

/** Test stand-in for the servlet API type of this name: only what the agent reads. */
public interface HttpServletRequest extends ServletRequest {
  String getMethod();

  String getRequestURI();

  String getQueryString();

  String getHeader(String name);
}
