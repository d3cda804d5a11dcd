package com.example.deploy.launch;

import java.util.Arrays;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A servlet container with one webapp deployed: Jetty and the servlet API on the class path, the
 * app in an exploded webapp directory whose {@code WEB-INF/lib} alone has OkHttp, loaded
 * child-first by Jetty's {@code WebAppClassLoader} as containers do. Usage: {@code ContainerMain
 * WEBAPP_DIR BACKEND_URL THREADS...}: loads {@code /shop/page} once per thread kind, then exits.
 */
public final class ContainerMain {
  private ContainerMain() {}

  public static void main(String[] args) {
    try {
      Server server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      server.addConnector(connector);
      WebAppContext webapp = new WebAppContext();
      webapp.setContextPath("/shop");
      webapp.setWar(args[0]);
      // By name: the class exists only in the webapp, not on this class path.
      ServletHolder page = webapp.addServlet("com.example.deploy.PageServlet", "/page");
      page.setInitParameter("backend", args[1]);
      server.setHandler(webapp);
      server.start();
      PageLoads.load(
          connector.getLocalPort(), "/shop/page", Arrays.asList(args).subList(2, args.length));
      server.stop();
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }
}
