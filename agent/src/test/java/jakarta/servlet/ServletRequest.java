package jakarta.servlet;

/** Test stand-in for the servlet API type of this name: only what the agent reads. */
public interface ServletRequest {}
