package dev.reqflow.sample.cli;

import dev.reqflow.sample.backend.Backend;
import dev.reqflow.sample.backend.BackendSettings;
import dev.reqflow.sample.backend.Latency;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The options that shape the backends, shared by the verbs that start them. */
final class BackendOptions {
  static final Set<String> NAMES = Set.of("connect-ms", "latency-scale", "latency", "fail", "seed");

  static final String USAGE =
      "  --connect-ms N       delay of the first response on each new connection: the handshake\n"
          + "                       a remote host would cost (default "
          + BackendSettings.DEFAULT_CONNECT_MS
          + ")\n"
          + "  --latency-scale X    multiply every backend latency by X (default 1)\n"
          + "  --latency B=MS,...   fixed latency for backend B, e.g. ads=90,reviews=180\n"
          + "  --fail B,...         these backends answer 503\n"
          + "  --seed N             seed of the heavy-tail latencies (default "
          + BackendSettings.DEFAULT_SEED
          + ")\n"
          + "  backends B: "
          + Arrays.stream(Backend.values()).map(Backend::cliName).collect(Collectors.joining(" "))
          + "\n";

  private BackendOptions() {}

  static BackendSettings settings(Args args) throws UsageException {
    BackendSettings settings =
        BackendSettings.defaults()
            .withSeed(
                args.intValue("seed", (int) BackendSettings.DEFAULT_SEED, 0, Integer.MAX_VALUE))
            .withScale(args.doubleValue("latency-scale", 1, 0, 100))
            .withConnectMs(
                args.intValue("connect-ms", (int) BackendSettings.DEFAULT_CONNECT_MS, 0, 60_000));
    if (args.has("latency")) {
      for (String pair : args.get("latency").orElseThrow().split(",")) {
        String[] parts = pair.split("=", 2);
        if (parts.length != 2) {
          throw new UsageException("--latency takes BACKEND=MS pairs, not '" + pair + "'");
        }
        settings = settings.withLatency(backend(parts[0]), Latency.fixed(millis(parts[1])));
      }
    }
    if (args.has("fail")) {
      for (String name : args.get("fail").orElseThrow().split(",")) {
        settings = settings.withFailing(backend(name));
      }
    }
    return settings;
  }

  private static Backend backend(String name) throws UsageException {
    return Backend.forCliName(name.trim())
        .orElseThrow(() -> new UsageException("no backend named '" + name + "'"));
  }

  private static long millis(String text) throws UsageException {
    try {
      long ms = Long.parseLong(text.trim());
      if (ms >= 0 && ms <= 60_000) {
        return ms;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("a latency is 0 to 60000 ms, not '" + text + "'");
  }
}
