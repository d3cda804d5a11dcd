package dev.reqflow.sample.cli;

import dev.reqflow.sample.service.SampleService;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve}: the backends and the page server, until Ctrl-C. Prints one line per listener,
 * backends first and pages last, so that once the {@code pages:} line is out everything is ready:
 *
 * <pre>
 * backends: http://127.0.0.1:41234/
 * pages: http://127.0.0.1:8080/
 * </pre>
 *
 * Tools (the agent's tests) start the jar with {@code --port 0} and parse the {@code pages:} line.
 */
public final class ServeCommand implements Command {
  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String summary() {
    return "the backends and the page server, until Ctrl-C";
  }

  @Override
  public String usage() {
    return "usage: serve [--port 8080] [--backend-port 0] [backend options]\n"
        + "       serve [--port 8080] --backends http://127.0.0.1:PORT/\n"
        + "  --port N             port of the page server on 127.0.0.1; 0 picks a free one\n"
        + "  --backend-port N     port of the backends on 127.0.0.1 (default 0: a free one)\n"
        + "  --backends URL       call backends that already run (the 'backends' verb) on\n"
        + "                       loopback instead of starting them in this process\n"
        + BackendOptions.USAGE
        + "prints 'backends: URL' then 'pages: URL', one line each; Ctrl-C stops.\n";
  }

  @Override
  public Set<String> options() {
    Set<String> options = new HashSet<>(BackendOptions.NAMES);
    options.addAll(Set.of("port", "backend-port", "backends"));
    return options;
  }

  @Override
  public int run(Args args, PrintStream out, PrintStream err) throws Exception {
    int port = args.intValue("port", 8080, 0, 65535);
    SampleService service;
    if (args.has("backends")) {
      if (args.has("backend-port") || BackendOptions.NAMES.stream().anyMatch(args::has)) {
        throw new UsageException(
            "--backends uses backends that already run: backend options do not apply to them");
      }
      service = SampleService.startWithBackendsAt(port, loopbackUri(args.get("backends").get()));
    } else {
      int backendPort = args.intValue("backend-port", 0, 0, 65535);
      service = SampleService.start(port, backendPort, BackendOptions.settings(args));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  err.println("sample app stopped");
                  stopped.countDown();
                },
                "sample-app-shutdown"));
    out.println("backends: " + service.backendsUri());
    out.println("pages: " + service.pagesUri());
    out.flush();
    stopped.await();
    return 0;
  }

  /** The sample app only ever talks to loopback: a remote address is refused, not called. */
  private static URI loopbackUri(String text) throws UsageException {
    try {
      URI uri = new URI(text.endsWith("/") ? text : text + "/");
      if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new UsageException("--backends takes http://127.0.0.1:PORT/, not '" + text + "'");
      }
      if (!InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
        throw new UsageException("--backends must be on loopback, not '" + uri.getHost() + "'");
      }
      return uri;
    } catch (URISyntaxException | UnknownHostException e) {
      throw new UsageException("--backends takes http://127.0.0.1:PORT/, not '" + text + "'");
    }
  }
}
