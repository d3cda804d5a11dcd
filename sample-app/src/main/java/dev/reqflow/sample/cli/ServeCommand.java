package dev.reqflow.sample.cli;

import dev.reqflow.sample.service.SampleService;
import java.io.PrintStream;
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
        + "  --port N             port of the page server on 127.0.0.1; 0 picks a free one\n"
        + "  --backend-port N     port of the backends on 127.0.0.1 (default 0: a free one)\n"
        + BackendOptions.USAGE
        + "prints 'backends: URL' then 'pages: URL', one line each; Ctrl-C stops.\n";
  }

  @Override
  public Set<String> options() {
    Set<String> options = new HashSet<>(BackendOptions.NAMES);
    options.addAll(Set.of("port", "backend-port"));
    return options;
  }

  @Override
  public int run(Args args, PrintStream out, PrintStream err) throws Exception {
    int port = args.intValue("port", 8080, 0, 65535);
    int backendPort = args.intValue("backend-port", 0, 0, 65535);
    SampleService service = SampleService.start(port, backendPort, BackendOptions.settings(args));
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
}
