package dev.reqflow.agent;

import dev.reqflow.agent.recorder.FlowSampling;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent's options: {@code key=value} pairs separated by commas, then the standard {@code
 * OTEL_*} environment variables. A bad entry is reported in one line and replaced by its default.
 */
public final class AgentConfig {

  static final String DEFAULT_ENDPOINT = "http://127.0.0.1:4318";

  private String endpoint;

  /** An endpoint was named (option or environment): OTLP goes there even with a file. */
  private boolean endpointNamed;

  /** The endpoint came from the {@code endpoint=} option, not from the environment. */
  private boolean endpointFromOption;

  private boolean serviceNameFromOption;
  private String file;
  private String serviceName = "unknown_service:java";
  private String resourceAttributes = "";
  private final List<String> flows = new ArrayList<>();
  private final List<String> sections = new ArrayList<>();
  private final List<String> flowQuery = new ArrayList<>();
  private final List<String> appPackages = new ArrayList<>();
  private long blockThresholdNanos = TimeUnit.MILLISECONDS.toNanos(1);
  private long unclosedAfterNanos = TimeUnit.SECONDS.toNanos(10);
  private long stallAfterNanos = TimeUnit.SECONDS.toNanos(10);
  private boolean redactQuery = true;
  private int queueSize = 8192;
  private boolean debug;
  private boolean jfr = true;
  private boolean backgroundInstall;
  private boolean propagate = true;
  private String testFail;
  private double sampleRatio = 1.0;
  private boolean keepSlow;
  private long keepSlowerNanos;
  private boolean respectParentSampling;

  private AgentConfig() {}

  /** Parses the agent argument and the environment; problems go to {@code warn}, one line each. */
  public static AgentConfig parse(String args, Map<String, String> env, Consumer<String> warn) {
    AgentConfig c = new AgentConfig();
    String envEndpoint = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    if (envEndpoint != null && !envEndpoint.isBlank()) {
      c.endpoint = envEndpoint.trim();
      c.endpointNamed = true;
    } else {
      String base = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
      c.endpointNamed = base != null && !base.isBlank();
      c.endpoint = c.endpointNamed ? base.trim() : DEFAULT_ENDPOINT;
      c.endpoint = withTracesPath(c.endpoint);
    }
    String service = env.get("OTEL_SERVICE_NAME");
    if (service != null && !service.isBlank()) {
      c.serviceName = service.trim();
    }
    String attrs = env.get("OTEL_RESOURCE_ATTRIBUTES");
    if (attrs != null) {
      c.resourceAttributes = attrs.trim();
    }
    if (args == null || args.isBlank()) {
      return c;
    }
    for (String pair : args.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
      String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
      c.apply(key, value, warn);
    }
    if (c.file != null && !c.endpointNamed) {
      // Asked for a file: that is where the spans go, not also to a viewer that may not be there.
      c.endpoint = null;
    }
    return c;
  }

  private void apply(String key, String value, Consumer<String> warn) {
    switch (key) {
      case "endpoint":
        endpointNamed = true;
        endpointFromOption = true;
        if (value.equals("none")) {
          endpoint = null;
        } else if (value.startsWith("http://") || value.startsWith("https://")) {
          endpoint = withTracesPath(value);
        } else {
          warn.accept(bad(key, value, "an http(s) URL or none", endpoint));
        }
        break;
      case "file":
        if (value.isEmpty()) {
          warn.accept(bad(key, value, "a file path", "no file"));
        } else {
          file = value;
        }
        break;
      case "service.name":
        if (!value.isEmpty()) {
          serviceName = value;
          serviceNameFromOption = true;
        }
        break;
      case "flows":
        addPatterns(key, value, flows, warn);
        break;
      case "sections":
        addPatterns(key, value, sections, warn);
        break;
      case "flow.query":
        for (String k : value.split("[;|]")) {
          if (!k.isBlank()) {
            flowQuery.add(k.trim());
          }
        }
        break;
      case "app.packages":
        for (String p : value.split("[;|]")) {
          String pkg = p.trim();
          if (pkg.isEmpty()) {
            continue;
          }
          if (pkg.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.]*")) {
            appPackages.add(pkg);
          } else {
            warn.accept(bad(key, pkg, "a package name like com.example", "skipped"));
          }
        }
        break;
      case "block.threshold":
        try {
          blockThresholdNanos = parseDuration(value);
        } catch (IllegalArgumentException e) {
          warn.accept(bad(key, value, "a duration like 1ms, 500us, 0", "1ms"));
        }
        break;
      case "unclosed.after":
        try {
          unclosedAfterNanos = parseDuration(value);
        } catch (IllegalArgumentException e) {
          warn.accept(bad(key, value, "a duration like 10s, 500ms", "10s"));
        }
        break;
      case "stall.after":
        try {
          stallAfterNanos = parseDuration(value);
        } catch (IllegalArgumentException e) {
          warn.accept(bad(key, value, "a duration like 10s, 500ms, 0 (off)", "10s"));
        }
        break;
      case "redact":
        if (value.equals("query") || value.equals("all")) {
          redactQuery = true;
        } else if (value.equals("none")) {
          redactQuery = false;
        } else {
          warn.accept(bad(key, value, "query or none", "query"));
        }
        break;
      case "queue.size":
        try {
          int n = Integer.parseInt(value);
          if (n < 16) {
            throw new NumberFormatException();
          }
          queueSize = n;
        } catch (NumberFormatException e) {
          warn.accept(bad(key, value, "an integer >= 16", String.valueOf(queueSize)));
        }
        break;
      case "debug":
        debug = value.isEmpty() || Boolean.parseBoolean(value);
        break;
      case "jfr":
        if (value.equals("on") || value.equals("true")) {
          jfr = true;
        } else if (value.equals("off") || value.equals("false")) {
          jfr = false;
        } else {
          warn.accept(bad(key, value, "on or off", jfr ? "on" : "off"));
        }
        break;
      case "install":
        if (value.equals("main")) {
          backgroundInstall = false;
        } else if (value.equals("background")) {
          backgroundInstall = true;
        } else {
          warn.accept(bad(key, value, "main or background", "main"));
        }
        break;
      case "sample":
        try {
          double r = Double.parseDouble(value);
          if (!(r >= 0 && r <= 1)) {
            throw new NumberFormatException();
          }
          sampleRatio = r;
        } catch (NumberFormatException e) {
          warn.accept(bad(key, value, "a ratio from 0 to 1 like 0.1", "1 (every flow)"));
        }
        break;
      case "keep.slow":
        if (value.isEmpty() || value.equals("true") || value.equals("on")) {
          keepSlow = true;
        } else if (value.equals("false") || value.equals("off")) {
          keepSlow = false;
        } else {
          warn.accept(bad(key, value, "on or off", "off"));
        }
        break;
      case "keep.slower":
        try {
          keepSlowerNanos = parseDuration(value);
        } catch (IllegalArgumentException e) {
          warn.accept(bad(key, value, "a duration like 500ms, 2s", "off"));
        }
        break;
      case "parent.sampling":
        if (value.equals("respect")) {
          respectParentSampling = true;
        } else if (value.equals("ignore")) {
          respectParentSampling = false;
        } else {
          warn.accept(bad(key, value, "respect or ignore", "ignore"));
        }
        break;
      case "propagate":
        if (value.equals("on") || value.equals("true")) {
          propagate = true;
        } else if (value.equals("off") || value.equals("false")) {
          propagate = false;
        } else {
          warn.accept(bad(key, value, "on or off", propagate ? "on" : "off"));
        }
        break;
      case "test.fail":
        // A test hook, left out of the list below on purpose: see agent/README.md.
        testFail = value.isEmpty() ? null : value;
        break;
      default:
        warn.accept(
            "reqflow: unknown option '"
                + key
                + "' ignored (known: endpoint, file, service.name, flows, sections, flow.query,"
                + " app.packages, block.threshold, unclosed.after, stall.after, redact, queue.size, jfr,"
                + " sample, keep.slow, keep.slower, parent.sampling, propagate, install, debug)");
    }
  }

  private static void addPatterns(
      String key, String value, List<String> into, Consumer<String> warn) {
    for (String p : value.split("[;|]")) {
      String pattern = p.trim();
      if (pattern.isEmpty()) {
        continue;
      }
      int hash = pattern.indexOf('#');
      if (hash <= 0 || hash == pattern.length() - 1 || pattern.indexOf('#', hash + 1) >= 0) {
        warn.accept(bad(key, pattern, "class#method, several separated by ;", "skipped"));
      } else {
        into.add(pattern);
      }
    }
  }

  static long parseDuration(String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    long factor;
    String number;
    if (v.endsWith("ns")) {
      factor = 1;
      number = v.substring(0, v.length() - 2);
    } else if (v.endsWith("us")) {
      factor = 1_000;
      number = v.substring(0, v.length() - 2);
    } else if (v.endsWith("ms")) {
      factor = 1_000_000;
      number = v.substring(0, v.length() - 2);
    } else if (v.endsWith("s")) {
      factor = 1_000_000_000;
      number = v.substring(0, v.length() - 1);
    } else if (v.equals("0")) {
      return 0;
    } else {
      throw new IllegalArgumentException(value);
    }
    try {
      double d = Double.parseDouble(number.trim());
      if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException(value);
      }
      return (long) (d * factor);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(value, e);
    }
  }

  private static String withTracesPath(String endpoint) {
    String e = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    return e.endsWith("/v1/traces") ? e : e + "/v1/traces";
  }

  private static String bad(String key, String value, String expected, String fallback) {
    return "reqflow: option " + key + "='" + value + "' is not " + expected + "; using " + fallback;
  }

  /** OTLP/HTTP traces URL, or null when OTLP/HTTP export is off. */
  public String endpoint() {
    return endpoint;
  }

  /** Whether {@link #endpoint} is the {@code endpoint=} option's (else the environment's). */
  public boolean endpointFromOption() {
    return endpointFromOption;
  }

  /** Whether {@link #serviceName} is the {@code service.name=} option's. */
  public boolean serviceNameFromOption() {
    return serviceNameFromOption;
  }

  /**
   * The environment as the OpenTelemetry SDK reads it: the {@code OTEL_*} variables, each
   * overridden by its {@code -Dotel.*} system property ({@code otel.exporter.otlp.endpoint} is
   * {@code OTEL_EXPORTER_OTLP_ENDPOINT}).
   */
  public static Map<String, String> standardVariables() {
    Map<String, String> vars = new java.util.HashMap<>(System.getenv());
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("otel.")) {
        vars.put(
            name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'),
            System.getProperty(name));
      }
    }
    return vars;
  }

  /** Path of the OTLP JSON lines file, or null. */
  public String file() {
    return file;
  }

  public String serviceName() {
    return serviceName;
  }

  /** {@code OTEL_RESOURCE_ATTRIBUTES} as given: {@code k=v,k=v}. */
  public String resourceAttributes() {
    return resourceAttributes;
  }

  public List<String> flows() {
    return Collections.unmodifiableList(flows);
  }

  public List<String> sections() {
    return Collections.unmodifiableList(sections);
  }

  /**
   * Query parameters of inbound requests whose values name the flow and are not redacted, e.g.
   * {@code strategy} makes {@code GET /home?strategy=pool-2} an endpoint of its own.
   */
  public List<String> flowQuery() {
    return Collections.unmodifiableList(flowQuery);
  }

  /**
   * The application's own packages ({@code com.example}): a call site is the first frame in one of
   * them. Empty: the first frame outside the JDK and known libraries.
   */
  public List<String> appPackages() {
    return Collections.unmodifiableList(appPackages);
  }

  public long blockThresholdNanos() {
    return blockThresholdNanos;
  }

  /**
   * How long after its flow ended a response the application neither read to its end nor closed is
   * taken to be leaked, and its call ended incomplete.
   */
  public long unclosedAfterNanos() {
    return unclosedAfterNanos;
  }

  /**
   * How long a flow may stay open before the agent writes a snapshot of it as stalled (its spans so
   * far, what its threads wait on now); 0: no stalled snapshots (flows still open at exit are
   * written all the same).
   */
  public long stallAfterNanos() {
    return stallAfterNanos;
  }

  public boolean redactQuery() {
    return redactQuery;
  }

  public int queueSize() {
    return queueSize;
  }

  public boolean debug() {
    return debug;
  }

  /**
   * Whether JDK Flight Recorder's event stream reports waits that only the JVM sees (monitors of
   * platform threads, pinned virtual threads); {@code jfr=off} turns it off.
   */
  public boolean jfr() {
    return jfr;
  }

  /**
   * Whether the instrumentation is installed on a daemon thread of its own ({@code
   * install=background}), so that {@code premain} returns at once and the application starts while
   * the JDK's types are woven; requests served before the install finished are not recorded, and
   * the exit line and the exported data say so. {@code install=main} (the default): {@code premain}
   * returns once every type is instrumented. See {@link BackgroundInstall#requested}, which reads
   * the same option before this parse.
   */
  public boolean backgroundInstall() {
    return backgroundInstall;
  }

  /**
   * Which flows are recorded and exported: {@code sample} (ratio decided at a flow's start, 1 by
   * default), {@code keep.slow} and {@code keep.slower} (decided at its end), {@code
   * parent.sampling} ({@code ignore} by default: an inbound trace's sampled flag does not matter).
   */
  public FlowSampling sampling() {
    return new FlowSampling(sampleRatio, keepSlow, keepSlowerNanos, respectParentSampling);
  }

  /**
   * Whether outbound calls carry the W3C trace-context headers of their span, so that a called
   * service's flow continues the trace; {@code propagate=off} turns it off.
   */
  public boolean propagate() {
    return propagate;
  }

  /**
   * Test hook: the name of a recorder hook that is to throw on every call, to prove that a failure
   * inside the agent never reaches the application; null when off.
   */
  public String testFail() {
    return testFail;
  }
}
