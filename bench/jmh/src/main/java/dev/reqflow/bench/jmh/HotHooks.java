package dev.reqflow.bench.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs each benchmark twice in one command, in forks without the agent and then in forks started
 * with {@code -javaagent}, and prints both side by side with what the agent added. Takes JMH's own
 * options ({@code -f 1 -wi 3 -i 5 -prof gc}, include patterns, {@code -rf json}: one result file
 * per side), except {@code -o}.
 *
 * <p>The agent jar is {@code -Dreqflow.agent.jar} (default {@code agent/target/reqflow-agent.jar}
 * from the current directory), its options {@code -Dreqflow.agent.options}.
 */
public final class HotHooks {

  static final String DEFAULT_AGENT_JAR = "agent/target/reqflow-agent.jar";

  /**
   * Spans go through the real batch processor and JSON lines encoder into a file that discards
   * them; every wait inside a flow is recorded, however short.
   */
  static final String DEFAULT_AGENT_OPTIONS =
      "endpoint=none,file=/dev/null,block.threshold=0,service.name=reqflow-bench-jmh";

  /** Benchmarks that call the agent's bridge: nothing to run without the agent. */
  private static final List<String> AGENT_ONLY =
      List.of(Recording.class.getName() + ".", SocketHook.class.getName() + ".");

  private HotHooks() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions cmd;
    try {
      cmd = new CommandLineOptions(args);
    } catch (CommandLineOptionException e) {
      System.err.println("Error parsing command line: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (cmd.shouldHelp()
        || cmd.shouldList()
        || cmd.shouldListWithParams()
        || cmd.shouldListProfilers()
        || cmd.shouldListResultFormats()) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    if (cmd.getOutput().hasValue()) {
      System.err.println(
          "reqflow-bench: -o is not supported (two runners per benchmark); redirect");
      System.exit(2);
    }
    Path agentJar = Paths.get(System.getProperty("reqflow.agent.jar", DEFAULT_AGENT_JAR));
    if (!Files.isRegularFile(agentJar)) {
      System.err.println(
          "reqflow-bench: no agent jar at "
              + agentJar.toAbsolutePath()
              + "; build it (mvn -B -Pbench -pl bench/jmh -am package -DskipTests) or name it"
              + " with -Dreqflow.agent.jar=PATH");
      System.exit(2);
    }
    String agentOptions = System.getProperty("reqflow.agent.options", DEFAULT_AGENT_OPTIONS);
    List<String> noAgentArgs = new ArrayList<>(cmd.getJvmArgsAppend().orElse(List.of()));
    List<String> agentArgs = new ArrayList<>(noAgentArgs);
    agentArgs.add("-javaagent:" + agentJar.toAbsolutePath() + "=" + agentOptions);

    Set<String> names = selected(cmd);
    if (names.isEmpty()) {
      System.err.println("reqflow-bench: no benchmark matches " + cmd.getIncludes());
      System.exit(1);
    }
    Path scratch = Files.createTempFile("reqflow-bench", ".result");
    List<RunResult> without = new ArrayList<>();
    List<RunResult> with = new ArrayList<>();
    // Each benchmark without and then with the agent, one after the other, so that a machine
    // whose load drifts shifts both sides of a difference alike.
    for (String name : names) {
      if (AGENT_ONLY.stream().noneMatch(name::startsWith)) {
        without.addAll(run(cmd, name, noAgentArgs, scratch, "without the agent"));
      }
      with.addAll(run(cmd, name, agentArgs, scratch, "with " + agentJar + "=" + agentOptions));
    }
    Files.deleteIfExists(scratch);
    if (cmd.getResultFormat().hasValue()) {
      ResultFormatType type = cmd.getResultFormat().get();
      String file =
          cmd.getResult().orElse("jmh-result." + type.toString().toLowerCase(Locale.ROOT));
      ResultFormatFactory.getInstance(type, suffixed(file, "no-agent")).writeOut(without);
      ResultFormatFactory.getInstance(type, suffixed(file, "agent")).writeOut(with);
    }
    System.out.println();
    System.out.println(
        "Hot hooks, ns/op. added = agent - no agent; ± is JMH's 99.9% half-interval (for"
            + " added, both sides' combined):");
    System.out.println();
    System.out.print(table(without, with));
  }

  /** The benchmarks that JMH's include and exclude patterns select, by name. */
  private static Set<String> selected(CommandLineOptions cmd) {
    Set<String> names = new LinkedHashSet<>();
    OutputFormat quiet = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
    for (BenchmarkListEntry e :
        BenchmarkList.defaultList().find(quiet, cmd.getIncludes(), cmd.getExcludes())) {
      names.add(e.getUsername());
    }
    return names;
  }

  /** One benchmark, in forks with {@code jvmArgs} appended, with the rest of JMH's options. */
  private static Collection<RunResult> run(
      CommandLineOptions cmd, String name, List<String> jvmArgs, Path scratch, String what)
      throws RunnerException {
    System.out.println("# reqflow-bench: " + name + " " + what);
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .parent(cmd)
            // JMH adds includes to the parent's: an exclude of everything else picks one.
            .exclude("^(?!" + Pattern.quote(name) + "$)")
            .jvmArgsAppend(jvmArgs.toArray(new String[0]));
    if (cmd.getResultFormat().hasValue()) {
      b.result(scratch.toString());
    }
    return new Runner(b.build()).run();
  }

  static String suffixed(String file, String suffix) {
    int dot = file.lastIndexOf('.');
    int slash = file.lastIndexOf('/');
    return dot > slash + 1
        ? file.substring(0, dot) + "-" + suffix + file.substring(dot)
        : file + "-" + suffix;
  }

  /** A Markdown table: one row per benchmark of either pass, allocation when {@code -prof gc}. */
  static String table(Collection<RunResult> without, Collection<RunResult> with) {
    Map<String, RunResult> base = byName(without);
    Map<String, RunResult> agent = byName(with);
    Map<String, Boolean> names = new LinkedHashMap<>();
    base.keySet().forEach(n -> names.put(n, true));
    agent.keySet().forEach(n -> names.put(n, true));
    boolean gc = hasAllocation(without) || hasAllocation(with);
    StringBuilder out = new StringBuilder();
    out.append("| benchmark | no agent | agent | added |");
    out.append(gc ? " B/op no agent | B/op agent |\n" : "\n");
    out.append("| --- | ---: | ---: | ---: |");
    out.append(gc ? " ---: | ---: |\n" : "\n");
    for (String name : names.keySet()) {
      Result<?> b = primary(base.get(name));
      Result<?> a = primary(agent.get(name));
      out.append("| `").append(name).append("` | ");
      out.append(b == null ? "—" : score(b.getScore(), b.getScoreError())).append(" | ");
      out.append(a == null ? "—" : score(a.getScore(), a.getScoreError())).append(" | ");
      out.append(
          a == null || b == null
              ? "—"
              : score(
                  a.getScore() - b.getScore(), Math.hypot(a.getScoreError(), b.getScoreError())));
      out.append(" |");
      if (gc) {
        out.append(' ').append(allocation(base.get(name))).append(" | ");
        out.append(allocation(agent.get(name))).append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static Map<String, RunResult> byName(Collection<RunResult> results) {
    Map<String, RunResult> out = new LinkedHashMap<>();
    for (RunResult r : results) {
      String full = r.getParams().getBenchmark();
      String pkg = HotHooks.class.getPackageName() + ".";
      out.put(full.startsWith(pkg) ? full.substring(pkg.length()) : full, r);
    }
    return out;
  }

  private static Result<?> primary(RunResult r) {
    return r == null ? null : r.getPrimaryResult();
  }

  private static boolean hasAllocation(Collection<RunResult> results) {
    return results.stream().anyMatch(r -> r.getSecondaryResults().containsKey(ALLOCATION));
  }

  private static final String ALLOCATION = "gc.alloc.rate.norm";

  private static String allocation(RunResult r) {
    if (r == null || !r.getSecondaryResults().containsKey(ALLOCATION)) {
      return "—";
    }
    return String.format(Locale.ROOT, "%.1f", r.getSecondaryResults().get(ALLOCATION).getScore());
  }

  private static String score(double score, double error) {
    return Double.isNaN(error)
        ? String.format(Locale.ROOT, "%.1f", score)
        : String.format(Locale.ROOT, "%.1f ± %.1f", score, error);
  }
}
