package jakarta.servlet.http;

import jakarta.servlet.ServletResponse;

/** Test stand-in for the servlet API type of this name: only what the agent reads. */
public interface HttpServletResponse extends ServletResponse {
  int getStatus();
}
