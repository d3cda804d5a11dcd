package jakarta.servlet;

/** Test stand-in for the servlet API type of this name. */
public interface ServletResponse {}
