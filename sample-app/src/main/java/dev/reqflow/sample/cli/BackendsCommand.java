package dev.reqflow.sample.cli;

import dev.reqflow.sample.backend.BackendServer;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code backends}: the slow backends alone, until Ctrl-C. */
public final class BackendsCommand implements Command {
  @Override
  public String name() {
    return "backends";
  }

  @Override
  public String summary() {
    return "the slow backends alone, until Ctrl-C";
  }

  @Override
  public String usage() {
    return "usage: backends [--port 0] [backend options]\n"
        + "  --port N             port on 127.0.0.1 (default 0: a free one)\n"
        + BackendOptions.USAGE
        + "prints 'backends: URL'; Ctrl-C stops.\n";
  }

  @Override
  public Set<String> options() {
    Set<String> options = new HashSet<>(BackendOptions.NAMES);
    options.add("port");
    return options;
  }

  @Override
  public int run(Args args, PrintStream out, PrintStream err) throws Exception {
    int port = args.intValue("port", 0, 0, 65535);
    BackendServer backends = BackendServer.start(port, BackendOptions.settings(args));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  backends.close();
                  err.println("backends stopped");
                  stopped.countDown();
                },
                "backends-shutdown"));
    out.println("backends: " + backends.baseUri());
    out.flush();
    stopped.await();
    return 0;
  }
}
