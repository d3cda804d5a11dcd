package dev.reqflow.sample.cli;

import dev.reqflow.sample.backend.BackendServer;
import dev.reqflow.sample.backend.BackendSettings;
import dev.reqflow.sample.seed.SeedExperiment;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** {@code seed-experiment}: the seeds' table, measured here. */
public final class SeedExperimentCommand implements Command {
  @Override
  public String name() {
    return "seed-experiment";
  }

  @Override
  public String summary() {
    return "the seeds' measurement: N delayed requests made five ways";
  }

  @Override
  public String usage() {
    return "usage: seed-experiment [--requests 10] [--delay-ms 1000] [--connect-ms "
        + BackendSettings.DEFAULT_CONNECT_MS
        + "]\n"
        + "  --requests N     requests per approach\n"
        + "  --delay-ms MS    how long the delay endpoint takes to answer\n"
        + "  --connect-ms MS  the handshake a remote host would cost, per new connection\n"
        + "prints one line per approach: APPROACH<TAB>SECONDS, for "
        + String.join(", ", SeedExperiment.APPROACHES)
        + ".\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("requests", "delay-ms", "connect-ms");
  }

  @Override
  public int run(Args args, PrintStream out, PrintStream err) throws Exception {
    int requests = args.intValue("requests", 10, 1, 1000);
    int delayMs = args.intValue("delay-ms", 1000, 0, 60_000);
    int connectMs =
        args.intValue("connect-ms", (int) BackendSettings.DEFAULT_CONNECT_MS, 0, 60_000);
    try (BackendServer backend =
        BackendServer.start(0, BackendSettings.defaults().withConnectMs(connectMs))) {
      SeedExperiment experiment = new SeedExperiment(backend.baseUri(), delayMs, requests);
      experiment.warmUp();
      for (String approach : SeedExperiment.APPROACHES) {
        Duration took = experiment.time(approach);
        out.printf(Locale.ROOT, "%s\t%.2f%n", approach, took.toNanos() / 1e9);
        out.flush();
      }
    }
    return 0;
  }
}
