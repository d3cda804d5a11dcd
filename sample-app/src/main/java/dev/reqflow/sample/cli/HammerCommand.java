package dev.reqflow.sample.cli;

import dev.reqflow.sample.hammer.Hammer;
import dev.reqflow.sample.hammer.PageTimes;
import dev.reqflow.sample.hammer.TimesTable;
import dev.reqflow.sample.service.SampleService;
import dev.reqflow.sample.strategy.Strategies;
import java.io.PrintStream;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code hammer}: loads pages and prints a table of page times per strategy. */
public final class HammerCommand implements Command {
  @Override
  public String name() {
    return "hammer";
  }

  @Override
  public String summary() {
    return "loads pages and prints page times per strategy (like the seeds' hammer.py)";
  }

  @Override
  public String usage() {
    return "usage: hammer [--strategy NAME|all] [--loads 20] [--concurrency 1]"
        + " [--url http://127.0.0.1:PORT/] [backend options]\n"
        + "  --strategy NAME|all  which page to load (default all): "
        + String.join(" ", Strategies.NAMES)
        + "\n"
        + "                       with its options if any, e.g. 'per-host-limit&perHost=10'\n"
        + "  --loads N            timed pages per strategy, after one warm-up page\n"
        + "  --concurrency C      pages loading at once\n"
        + "  --url URL            a running page server on loopback; without it, hammer starts\n"
        + "                       its own (then the backend options below apply)\n"
        + BackendOptions.USAGE
        + "prints a table: strategy, pages, p50, p95 and max page time in ms.\n";
  }

  @Override
  public Set<String> options() {
    Set<String> options = new HashSet<>(BackendOptions.NAMES);
    options.addAll(Set.of("strategy", "loads", "concurrency", "url"));
    return options;
  }

  @Override
  public int run(Args args, PrintStream out, PrintStream err) throws Exception {
    String strategy = args.get("strategy").orElse("all");
    List<String> strategies = strategy.equals("all") ? Strategies.NAMES : List.of(strategy);
    if (!strategies.stream().map(HammerCommand::baseName).allMatch(Strategies.NAMES::contains)) {
      throw new UsageException("no strategy named '" + strategy + "'");
    }
    int loads = args.intValue("loads", 20, 1, 10_000);
    int concurrency = args.intValue("concurrency", 1, 1, 64);
    if (args.has("url")) {
      if (BackendOptions.NAMES.stream().anyMatch(args::has)) {
        throw new UsageException("backend options apply only without --url");
      }
      return hammer(
          loopbackUrl(args.get("url").orElseThrow()), strategies, loads, concurrency, out);
    }
    try (SampleService service = SampleService.start(0, 0, BackendOptions.settings(args))) {
      return hammer(service.pagesUri(), strategies, loads, concurrency, out);
    }
  }

  private static int hammer(
      URI pages, List<String> strategies, int loads, int concurrency, PrintStream out)
      throws Exception {
    int failed = 0;
    try (Hammer hammer = new Hammer(pages, loads, concurrency)) {
      TimesTable table = new TimesTable(out);
      table.header();
      for (String strategy : strategies) {
        PageTimes times = hammer.load(strategy);
        table.row(times);
        failed += times.errors();
      }
    }
    if (failed > 0) {
      out.println(failed + " pages failed and are not in the table");
      return 1;
    }
    return 0;
  }

  /** {@code per-host-limit} of {@code per-host-limit&perHost=10}: a strategy with its options. */
  private static String baseName(String strategy) {
    int options = strategy.indexOf('&');
    return options < 0 ? strategy : strategy.substring(0, options);
  }

  /** The load stays on this machine: only loopback page servers are accepted. */
  private static URI loopbackUrl(String text) throws UsageException {
    URI uri;
    try {
      uri = URI.create(text.endsWith("/") ? text : text + "/");
    } catch (IllegalArgumentException e) {
      throw new UsageException("--url is not a URL: " + text);
    }
    String host = uri.getHost();
    if (!"http".equals(uri.getScheme())
        || !("127.0.0.1".equals(host) || "localhost".equals(host))) {
      throw new UsageException("--url must be http://127.0.0.1:PORT/ (loopback only)");
    }
    return uri;
  }
}
