package dev.reqflow.agent;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.agent.export.Export;
import dev.reqflow.agent.export.InstallSpan;
import dev.reqflow.agent.instrument.Advices;
import dev.reqflow.agent.instrument.InstallTypePools;
import dev.reqflow.agent.instrument.WovenNames;
import dev.reqflow.agent.instrument.apache.ApacheInstrumentation;
import dev.reqflow.agent.instrument.executor.ExecutorInstrumentation;
import dev.reqflow.agent.instrument.future.FutureInstrumentation;
import dev.reqflow.agent.instrument.jdkhttp.JdkHttpInstrumentation;
import dev.reqflow.agent.instrument.jdkhttp.JdkRequestContent;
import dev.reqflow.agent.instrument.jdkhttp.TimingBodyHandler;
import dev.reqflow.agent.instrument.jetty.JettyInstrumentation;
import dev.reqflow.agent.instrument.lock.LockInstrumentation;
import dev.reqflow.agent.instrument.method.MethodInstrumentation;
import dev.reqflow.agent.instrument.okhttp.OkHttpInstrumentation;
import dev.reqflow.agent.instrument.okhttp.OkHttpListeners;
import dev.reqflow.agent.instrument.reactor.ReactorInstrumentation;
import dev.reqflow.agent.instrument.reactornetty.ReactorNettyInstrumentation;
import dev.reqflow.agent.instrument.server.ServerInstrumentation;
import dev.reqflow.agent.instrument.socket.SocketInstrumentation;
import dev.reqflow.agent.instrument.urlconnection.UrlConnectionInstrumentation;
import dev.reqflow.agent.instrument.webclient.WebClientInstrumentation;
import dev.reqflow.agent.jfr.JfrWaits;
import dev.reqflow.agent.recorder.CallSites;
import dev.reqflow.agent.recorder.Recorder;
import dev.reqflow.agent.recorder.StallWatch;
import dev.reqflow.agent.recorder.WorkLog;
import dev.reqflow.agent.unseen.LoadedClients;
import dev.reqflow.contract.TraceContract.UnseenLockWaits;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * The one install path, once the bridge is on the bootstrap class path: exporter, recorder,
 * instrumentation, self-check.
 */
final class Installer {

  /** JDK types that must have been transformed for the agent to see anything. */
  private static final String[] SELF_CHECK = {
    "java.util.concurrent.FutureTask",
    "java.util.concurrent.CompletableFuture",
    "java.util.concurrent.ThreadPoolExecutor",
    "java.util.concurrent.CompletableFuture$UniApply",
    "java.util.concurrent.CompletableFuture$UniExceptionally",
    "java.util.concurrent.CompletableFuture$BiRelay",
  };

  /** JDK socket types woven for I/O outside recorded calls ({@link SocketInstrumentation}). */
  private static final String[] SOCKET_TYPES = {
    "sun.nio.ch.NioSocketImpl", "sun.nio.ch.SocketChannelImpl"
  };

  private Installer() {}

  static void install(String args, Instrumentation inst)
      throws IOException, ClassNotFoundException {
    StartPhases phases = new StartPhases();
    phases.mark("bridge");
    AgentConfig config =
        AgentConfig.parse(args, AgentConfig.standardVariables(), System.err::println);
    // Decided by premain already (BackgroundInstall.requested): both read the same option.
    boolean background = config.backgroundInstall();
    String version = version();
    // The advice is inlined and the types are not initialised by ByteBuddy (NoOp), so its Nexus,
    // which AgentBuilder.Default otherwise sets up in its constructor, is never used: setting it up
    // cost 0.2 s of premain and, through sun.misc.Unsafe, JDK 25's warnings. The property is read
    // under the shaded name (shading rewrites the constant), so only our ByteBuddy sees it.
    if (System.getProperty(Nexus.PROPERTY) == null) {
      System.setProperty(Nexus.PROPERTY, "true");
    }

    CallSites.appPackages(config.appPackages());
    phases.mark("config");
    Export export = Export.start(config, version);
    phases.mark("export");
    if (export.sdkDisabled() && export.sinks() == 0) {
      System.err.println(
          "reqflow: OTEL_SDK_DISABLED=true and no file=: nothing would be exported; the agent"
              + " stays off");
      BackgroundInstall.stayedOff();
      return;
    }
    List<String> methods = new ArrayList<>(config.flows());
    methods.addAll(config.sections());
    Recorder recorder =
        new Recorder(
            export.tracer(version),
            config.blockThresholdNanos(),
            config.redactQuery(),
            config.flowQuery(),
            new HashSet<>(config.flows()),
            new HashSet<>(config.sections()),
            Installer::decorate);
    StallWatch stalls = recorder.watchStalls(config.stallAfterNanos(), export.openSpans());
    LoadedClients clients = LoadedClients.create();
    recorder.unrecordedLibraries(clients::unrecorded);
    recorder.unclosedAfter(config.unclosedAfterNanos());
    recorder.sampling(config.sampling());
    recorder.propagate(config.propagate());
    Bridge.Hooks hooks = recorder;
    if (config.testFail() != null) {
      hooks = FailingHooks.wrap(recorder, config.testFail());
      if (hooks == null) {
        System.err.println(
            "reqflow: test.fail='" + config.testFail() + "' names no recorder hook; ignored");
        hooks = recorder;
      }
    }
    phases.mark("recorder");
    if (!Bridge.claim() || !background && !Bridge.register(hooks)) {
      System.err.println("reqflow: another reqflow agent is already installed; this one stays off");
      BackgroundInstall.stayedOff();
      return;
    }
    JfrWaits jfr = config.jfr() ? jfrWaits(recorder, config.blockThresholdNanos()) : null;
    if (jfr != null) {
      recorder.lockWaitsUnseen(jfr::lockWaitsUnseen);
    } else if (config.jfr()) {
      // No JDK Flight Recorder in this runtime: no flow's monitor waits can be seen.
      recorder.lockWaitsUnseen(() -> UnseenLockWaits.JFR_FAILED);
    }
    Thread flush =
        new Thread(
            () -> {
              // The flows still open (a page that hangs) are written before the last flush.
              stalls.atExit();
              // Flows whose sampling waits for their end are kept, so that the flush sees them.
              recorder.keepUndecidedAtExit();
              // Responses still open are written, incomplete, before the last export.
              recorder.endOpenResponses();
              // Its last events become spans of flows that the exporter's flush must still see;
              // with no flow ever recorded there is nothing to wait for (on JDK 25 a short main
              // whose stream had not yet read its first chunk waited the whole budget: 2 s).
              if (jfr != null && recorder.anyFlowRecorded()) {
                try {
                  jfr.finish(JFR_EXIT_BUDGET_NANOS);
                } catch (Throwable t) {
                  System.err.println("reqflow: JDK Flight Recorder's last events are lost: " + t);
                }
              }
              export.shutdown();
              System.err.println(
                  export.exitLine(
                          recorder.adviceErrors(),
                          recorder.openAtExit(),
                          recorder.linksCut(),
                          recorder.untracked(),
                          recorder.contentCut(),
                          recorder.unseen(),
                          clients.unrecorded(),
                          recorder.callsOpenAtExit(),
                          recorder.incompleteCalls(),
                          recorder.stalls(),
                          recorder.samplingTotals())
                      + (background ? BackgroundInstall.exitLinePart() : ""));

              if (jfr != null && config.debug()) {
                System.err.println("reqflow: " + jfr.counts());
              }
              if (jfr != null) {
                String gap = jfrStartLine(jfr, recorder.unseen().lockWaitFlows());
                if (gap != null) {
                  System.err.println(gap);
                }
              }
              if (jfr != null && jfr.unplaced() > 0) {
                System.err.println(
                    "reqflow: JDK Flight Recorder reported "
                        + jfr.unplaced()
                        + " waits of flows' threads that could not be placed in their flow (the"
                        + " hand-off history had lost them)");
              }
            },
            "reqflow-flush");
    if (background) {
      // premain registered the one hook already: it says so if the JVM exits before this point.
      BackgroundInstall.atExit(flush);
    } else {
      Runtime.getRuntime().addShutdownHook(flush);
    }

    phases.mark("jfr+hook");
    Set<String> transformed = ConcurrentHashMap.newKeySet();
    AtomicInteger errors = new AtomicInteger();
    ClassLoader agentLoader = Installer.class.getClassLoader();
    // Type descriptions shared by the install's transformations, dropped after it.
    InstallTypePools pools = new InstallTypePools();
    // The names any instrumentation can weave: every other class, loaded or loading, is rejected
    // on its name before ByteBuddy describes it or runs the instrumentations' matchers.
    WovenNames woven = WovenNames.withTypes(WovenNames.typesOf(methods));
    AgentBuilder b =
        // Advice only on declared methods: no walk of the type hierarchy, where another agent's
        // generated interfaces (the OpenTelemetry agent's virtual fields) have no class file.
        new AgentBuilder.Default(
                new ByteBuddy()
                    .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                    // No validation of the woven types: advice adds no member and renames nothing,
                    // and validating a retransformed JDK type describes every one of its methods
                    // and fields by reflection (0.2 to 0.5 s of premain, BENCHMARKS.md).
                    .with(TypeValidation.DISABLED))
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            // In the background the application loads classes while the install runs: one that
            // loads as the transformer is added could be missed by a single pass over them. Of
            // the classes loaded already (3,000 at premain, most of them the JDK's and the
            // agent's own), only those whose names some instrumentation matches are considered.
            .with(
                woven.discovery(
                    new PhasedDiscovery(
                        background
                            ? AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating
                                .INSTANCE
                            : AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.SinglePass
                                .INSTANCE,
                        phases)))
            .with(new PhasedRedefinition(phases))
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(pools)
            // The default ignores the bootstrap and platform loaders, where most of our targets
            // are. By name only: a class that loads is then matched on its name alone, by one
            // check of WovenNames rather than the instrumentations' 40 matchers, and its class
            // file is parsed only when a name matches. The default's isSynthetic() would parse
            // every class the application loads, for nothing: none of our names is a synthetic
            // class's.
            .ignore(
                nameStartsWith("dev.reqflow.agent.")
                    .or(nameStartsWith(shadedPrefix()))
                    .or(not(woven.typeMatcher())))
            .or(any(), OTEL_AGENT_LOADERS)
            .with(new Listener(transformed, errors, config.debug(), clients));
    if (config.debug()) {
      b = b.with(AgentBuilder.Listener.StreamWriting.toSystemError());
    }
    b = instrumentations(b, agentLoader, methods);
    if (LockInstrumentation.virtualThreadsUnmountOnMonitors()) {
      Recorder.followVirtualThreads();
    }
    phases.mark("matchers");
    for (String type : SELF_CHECK) {
      // Loaded now so that the install retransforms them and the self-check can tell.
      Class.forName(type);
    }
    // The dependent actions of CompletableFuture, loaded now for the same reason: one loaded
    // while the install runs would otherwise be missed.
    java.util.concurrent.CompletableFuture.class.getDeclaredClasses();
    // The socket implementation, loaded (not initialised) now so that it is woven here, at start,
    // rather than on the application's first connection, which would wait for it.
    for (String type : SOCKET_TYPES) {
      try {
        Class.forName(type, false, null);
      } catch (ClassNotFoundException e) {
        System.err.println("reqflow: no " + type + " in this JDK: socket I/O is not counted");
      }
    }
    phases.mark("preload");
    b.installOn(inst);
    pools.installed();
    Advices.installed();
    phases.mark("installed");
    if (background) {
      // Only now does any flow start: every type is instrumented, so a flow is recorded whole,
      // and the requests before this moment are said to be unseen (exit line, install span).
      if (!Bridge.register(hooks)) {
        System.err.println(
            "reqflow: another reqflow agent registered while this one installed; this one stays"
                + " off");
        BackgroundInstall.stayedOff();
        return;
      }
      BackgroundInstall.finished();
      InstallSpan.export(
          export.tracer(version),
          BackgroundInstall.jvmStartEpochNanos(),
          BackgroundInstall.finishedEpochNanos());
    }
    // Libraries loaded before the install (at premain too): the listener sees only what loads
    // now, since the scan above leaves out the loaded classes that WovenNames rejects.
    for (Class<?> c : inst.getAllLoadedClasses()) {
      clients.classLoaded(c.getName());
    }

    List<String> missing = new ArrayList<>();
    for (String type : SELF_CHECK) {
      if (!transformed.contains(type)) {
        missing.add(type);
      }
    }
    if (!missing.isEmpty()) {
      System.err.println(
          "reqflow: SELF-CHECK FAILED: "
              + missing
              + " not instrumented; no waits will be recorded ("
              + errors.get()
              + " instrumentation errors)");
    }
    System.err.println(
        "reqflow agent "
            + version
            + ": "
            + "spans to "
            + (export.sinks() == 0 ? "no sink" : String.join(", ", export.sinkNames()))
            + ", block.threshold="
            + config.blockThresholdNanos() / 1000
            + "us, jfr="
            + (jfr != null ? "on" : "off")
            + ", stall.after="
            + config.stallAfterNanos() / 1_000_000
            + "ms, "
            + transformed.size()
            + " types instrumented"
            + (config.sampling().isDefault() ? "" : ", " + config.sampling())
            + (missing.isEmpty() ? "" : ", self-check failed")
            + (background
                ? ", premain "
                    + BackgroundInstall.premainMillis()
                    + " ms, installed in the background in "
                    + (System.nanoTime() - ReqflowAgent.installNanos()) / 1_000_000
                    + " ms, "
                    + BackgroundInstall.millisAfterJvmStart()
                    + " ms after the JVM started: requests before then were not recorded"
                : ", premain "
                    + (System.nanoTime() - ReqflowAgent.installNanos()) / 1_000_000
                    + " ms"));
    if (config.debug()) {
      System.err.println(phases);
    }
    if (export.sinks() == 0) {
      System.err.println(
          "reqflow: no sink (no file=, no OTLP or Zipkin export): spans are recorded but go"
              + " nowhere");
    }
    if (jfr != null) {
      // Now, not with the first flow: a service's own start (seconds for Spring Boot) covers JDK
      // Flight Recorder's (about 1 to 2.5 s of CPU), so that its first requests' monitor waits are
      // seen. On a thread of its own: premain does not wait for it. Started by the first flow
      // instead, it slowed that flow's page by 70 to 120 ms on two busy cores (UnseenIoIT's first
      // pages: JDK Flight Recorder's start pauses and competes with the application's threads).
      jfr.start();
    }
  }

  /**
   * Every instrumentation's transformations added to {@code b}; {@code methods} are the {@code
   * class#method} patterns of flows and sections. Their type matchers must only match names that
   * {@link WovenNames} accepts (WovenNamesTest).
   */
  static AgentBuilder instrumentations(
      AgentBuilder b, ClassLoader agentLoader, List<String> methods) {
    b = FutureInstrumentation.apply(b, agentLoader);
    b = ExecutorInstrumentation.apply(b, agentLoader);
    b = JdkHttpInstrumentation.apply(b, agentLoader);
    b = OkHttpInstrumentation.apply(b, agentLoader);
    b = ApacheInstrumentation.apply(b, agentLoader);
    b = ServerInstrumentation.apply(b, agentLoader);
    b = ReactorInstrumentation.apply(b, agentLoader);
    b = ReactorNettyInstrumentation.apply(b, agentLoader);
    b = WebClientInstrumentation.apply(b, agentLoader);
    b = SocketInstrumentation.apply(b, agentLoader);
    b = UrlConnectionInstrumentation.apply(b, agentLoader);
    b = LockInstrumentation.apply(b, agentLoader);
    b = JettyInstrumentation.apply(b, agentLoader);
    if (!methods.isEmpty()) {
      b = MethodInstrumentation.apply(b, agentLoader, methods);
    }
    return b;
  }

  /**
   * What the exit says of the time JDK Flight Recorder took to start, from the first flow: monitor
   * waits of the {@code flowsMarked} flows that began before then are not recorded, and their flow
   * spans say so ({@code reqflow.unseen.lock_waits}); null when no flow came, the recording ran
   * before it, or the stream's failure was already said.
   */
  static String jfrStartLine(JfrWaits jfr, long flowsMarked) {
    long delay = jfr.startDelayNanos();
    if (delay <= 0 || jfr.failure() != null) {
      return null;
    }
    String marked =
        " ("
            + (flowsMarked == 1 ? "1 flow" : flowsMarked + " flows")
            + " marked reqflow.unseen.lock_waits)";
    if (delay == Long.MAX_VALUE) {
      return "reqflow: JDK Flight Recorder never started recording: no wait for a monitor of a"
          + " platform thread, no pinned virtual thread was recorded"
          + marked;
    }
    return "reqflow: JDK Flight Recorder recorded from "
        + delay / 1_000_000
        + " ms after the first flow began: waits for monitors of platform threads and pinned"
        + " virtual threads in flows that began before then are not recorded"
        + marked;
  }

  /** The longest the exit waits for JDK Flight Recorder's last events, before the sinks' flush. */
  private static final long JFR_EXIT_BUDGET_NANOS =
      java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

  /**
   * JDK Flight Recorder's stream of waits, started at the end of the install; null when this JVM
   * has no JDK Flight Recorder module (a trimmed runtime), said once.
   */
  private static JfrWaits jfrWaits(Recorder recorder, long thresholdNanos) {
    try {
      JfrWaits jfr = JfrWaits.create(recorder::lateWait, thresholdNanos);
      WorkLog.activate(jfr.log());
      return jfr;
    } catch (LinkageError e) {
      System.err.println(
          "reqflow: JDK Flight Recorder is not in this runtime ("
              + e
              + "); waits for monitors of platform threads are not recorded");
      return null;
    }
  }

  /**
   * The OpenTelemetry Java agent's own class loaders: its exporter's OkHttp is the other agent's
   * business, and our advice's helpers are not visible there.
   */
  private static final ElementMatcher<ClassLoader> OTEL_AGENT_LOADERS =
      new ElementMatcher.Junction.AbstractBase<ClassLoader>() {
        // Built at run time so that shading does not relocate the other agent's package name.
        private final String prefix = String.join(".", "io", "opentelemetry", "javaagent", "");

        @Override
        public boolean matches(ClassLoader loader) {
          return loader != null && loader.getClass().getName().startsWith(prefix);
        }
      };

  /**
   * What {@code Bridge.decorate} does for a recorded call: a JDK body handler is wrapped, a JDK
   * request's content is reported, an OkHttp call gets our event listener chained in front of its
   * own.
   */
  private static Object decorate(Object argument, Object call) {
    if (argument instanceof HttpResponse.BodyHandler) {
      return TimingBodyHandler.decorate(argument, call);
    }
    if (argument instanceof HttpRequest) {
      JdkRequestContent.report(call, (HttpRequest) argument);
      return argument;
    }
    if (argument != null) {
      OkHttpListeners.chain(argument);
    }
    return argument;
  }

  private static String version() {
    String v = Installer.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Where shading moved ByteBuddy and the SDK; those are never instrumented. */
  private static String shadedPrefix() {
    String n = AgentBuilder.class.getName();
    int i = n.indexOf("net.bytebuddy");
    return i > 0 ? n.substring(0, i) : "net.bytebuddy.";
  }

  /**
   * For {@code debug}'s phases: marks the end of ByteBuddy's set-up of its transformer (it
   * generates a class for it) and the start of the scan of the loaded classes.
   */
  private static final class PhasedDiscovery
      implements AgentBuilder.RedefinitionStrategy.DiscoveryStrategy {
    private final AgentBuilder.RedefinitionStrategy.DiscoveryStrategy delegate;
    private final StartPhases phases;

    PhasedDiscovery(
        AgentBuilder.RedefinitionStrategy.DiscoveryStrategy delegate, StartPhases phases) {
      this.delegate = delegate;
      this.phases = phases;
    }

    @Override
    public Iterable<Iterable<Class<?>>> resolve(Instrumentation instrumentation) {
      phases.mark("transformer");
      return delegate.resolve(instrumentation);
    }
  }

  /**
   * For {@code debug}'s phases: marks the end of the scan (the loaded classes to retransform are
   * known) and of their retransformation.
   */
  private static final class PhasedRedefinition
      extends AgentBuilder.RedefinitionStrategy.Listener.Adapter {
    private final StartPhases phases;

    PhasedRedefinition(StartPhases phases) {
      this.phases = phases;
    }

    @Override
    public void onBatch(int index, List<Class<?>> batch, List<Class<?>> types) {
      phases.mark("scan (" + types.size() + " types to retransform)");
    }

    @Override
    public void onComplete(
        int amount, List<Class<?>> types, java.util.Map<List<Class<?>>, Throwable> failures) {
      phases.mark("retransform");
    }
  }

  /**
   * Records what was transformed (for the self-check) and reports errors, a few of them; tells
   * {@link LoadedClients} of every class that loads, so that the libraries the agent does not
   * record are known without scanning anything.
   */
  private static final class Listener extends AgentBuilder.Listener.Adapter {
    private final Set<String> transformed;
    private final AtomicInteger errors;
    private final boolean debug;
    private final LoadedClients clients;

    Listener(Set<String> transformed, AtomicInteger errors, boolean debug, LoadedClients clients) {
      this.transformed = transformed;
      this.errors = errors;
      this.debug = debug;
      this.clients = clients;
    }

    @Override
    public void onDiscovery(
        String typeName, ClassLoader classLoader, JavaModule module, boolean loaded) {
      clients.classLoaded(typeName);
    }

    @Override
    public void onTransformation(
        TypeDescription typeDescription,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      transformed.add(typeDescription.getName());
      if (debug) {
        System.err.println("reqflow: instrumented " + typeDescription.getName());
      }
    }

    @Override
    public void onError(
        String typeName,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        Throwable throwable) {
      if (errors.getAndIncrement() < 3 || debug) {
        System.err.println("reqflow: could not instrument " + typeName + ": " + throwable);
      }
    }
  }
}
