package com.example.deploy.launch;

import com.example.deploy.PageServlet;
import java.util.Arrays;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The fat jar's main class (Boot's {@code Start-Class}): embedded Jetty serving {@link PageServlet}
 * at {@code /shop/page}, everything loaded from the jar's nested {@code BOOT-INF/lib} by Boot's
 * class loader. Usage: {@code java -jar deploy-app.jar BACKEND_URL THREADS...}: loads the page once
 * per thread kind ({@code platform}, {@code virtual}), then exits.
 */
public final class FatJarMain {
  private FatJarMain() {}

  public static void main(String[] args) {
    try {
      Server server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      context.setContextPath("/shop");
      ServletHolder page = context.addServlet(PageServlet.class, "/page");
      page.setInitParameter("backend", args[0]);
      server.setHandler(context);
      server.start();
      PageLoads.load(
          connector.getLocalPort(), "/shop/page", Arrays.asList(args).subList(1, args.length));
      server.stop();
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }
}
