package dev.reqflow.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  private final List<String> warnings = new ArrayList<>();

  private AgentConfig parse(String args, Map<String, String> env) {
    return AgentConfig.parse(args, env, warnings::add);
  }

  @Test
  void defaults() {
    AgentConfig c = parse(null, Map.of());
    assertThat(c.endpoint()).isEqualTo("http://127.0.0.1:4318/v1/traces");
    assertThat(c.file()).isNull();
    assertThat(c.blockThresholdNanos()).isEqualTo(1_000_000L);
    assertThat(c.redactQuery()).isTrue();
    assertThat(warnings).isEmpty();
  }

  @Test
  void options() {
    AgentConfig c =
        parse(
            "endpoint=none,file=/tmp/x.jsonl,flows=a.B#run;c.D#go,sections=a.B#header,"
                + "block.threshold=250us,redact=none,queue.size=100,flow.query=strategy;perHost,"
                + "app.packages=com.example;org.acme.shop",
            Map.of());
    assertThat(c.endpoint()).isNull();
    assertThat(c.file()).isEqualTo("/tmp/x.jsonl");
    assertThat(c.flows()).containsExactly("a.B#run", "c.D#go");
    assertThat(c.sections()).containsExactly("a.B#header");
    assertThat(c.blockThresholdNanos()).isEqualTo(250_000L);
    assertThat(c.redactQuery()).isFalse();
    assertThat(c.queueSize()).isEqualTo(100);
    assertThat(c.flowQuery()).containsExactly("strategy", "perHost");
    assertThat(c.appPackages()).containsExactly("com.example", "org.acme.shop");
    assertThat(warnings).isEmpty();
  }

  @Test
  void sampling() {
    assertThat(parse(null, Map.of()).sampling().toString()).isEqualTo("sample=1.0");
    assertThat(
            parse("sample=0.1,keep.slow,keep.slower=500ms,parent.sampling=respect", Map.of())
                .sampling()
                .toString())
        .isEqualTo("sample=0.1,keep.slow,keep.slower=500ms,parent.sampling=respect");
    assertThat(warnings).isEmpty();

    assertThat(parse("sample=1.5,keep.slow=maybe,parent.sampling=obey", Map.of()).sampling())
        .hasToString("sample=1.0");
    assertThat(warnings)
        .containsExactly(
            "reqflow: option sample='1.5' is not a ratio from 0 to 1 like 0.1; using 1 (every flow)",
            "reqflow: option keep.slow='maybe' is not on or off; using off",
            "reqflow: option parent.sampling='obey' is not respect or ignore; using ignore");
  }

  @Test
  void environment() {
    AgentConfig c =
        parse(
            "",
            Map.of(
                "OTEL_SERVICE_NAME", "shop",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/",
                "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=dev"));
    assertThat(c.serviceName()).isEqualTo("shop");
    assertThat(c.endpoint()).isEqualTo("http://collector:4318/v1/traces");
    assertThat(c.resourceAttributes()).isEqualTo("deployment.environment=dev");
    assertThat(
            parse("endpoint=http://x:1", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://y:2"))
                .endpoint())
        .isEqualTo("http://x:1/v1/traces");
  }

  @Test
  void aFileAloneIsWhereSpansGoUnlessAnEndpointIsNamed() {
    assertThat(parse("file=/tmp/x.jsonl", Map.of()).endpoint()).isNull();
    assertThat(parse("file=/tmp/x.jsonl,endpoint=http://v:4318", Map.of()).endpoint())
        .isEqualTo("http://v:4318/v1/traces");
    assertThat(
            parse("file=/tmp/x.jsonl", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"))
                .endpoint())
        .isEqualTo("http://c:4318/v1/traces");
    assertThat(parse("", Map.of()).endpoint()).isEqualTo("http://127.0.0.1:4318/v1/traces");
    assertThat(warnings).isEmpty();
  }

  @Test
  void badEntriesWarnOnceEachAndKeepDefaults() {
    AgentConfig c =
        parse(
            "nope=1,block.threshold=-3ms,endpoint=ftp://x,redact=some,app.packages=com.x;9bad",
            Map.of());
    assertThat(warnings).hasSize(5);
    assertThat(c.appPackages()).containsExactly("com.x");
    assertThat(warnings).allMatch(w -> w.startsWith("reqflow: ") && !w.contains("\n"));
    assertThat(c.blockThresholdNanos()).isEqualTo(1_000_000L);
    assertThat(c.endpoint()).isEqualTo("http://127.0.0.1:4318/v1/traces");
    assertThat(c.redactQuery()).isTrue();
  }

  @Test
  void jdkFlightRecorderIsOnUnlessTurnedOff() {
    assertThat(parse(null, Map.of()).jfr()).isTrue();
    assertThat(parse("jfr=off", Map.of()).jfr()).isFalse();
    assertThat(parse("jfr=on", Map.of()).jfr()).isTrue();
    assertThat(warnings).isEmpty();
    assertThat(parse("jfr=maybe", Map.of()).jfr()).isTrue();
    assertThat(warnings).containsExactly("reqflow: option jfr='maybe' is not on or off; using on");
  }

  @Test
  void theInstallRunsOnTheMainThreadUnlessAskedForInTheBackground() {
    assertThat(parse(null, Map.of()).backgroundInstall()).isFalse();
    assertThat(parse("install=background", Map.of()).backgroundInstall()).isTrue();
    assertThat(parse("install=background,install=main", Map.of()).backgroundInstall()).isFalse();
    assertThat(warnings).isEmpty();
    assertThat(parse("install=later", Map.of()).backgroundInstall()).isFalse();
    assertThat(warnings)
        .containsExactly("reqflow: option install='later' is not main or background; using main");
  }

  /** premain reads the option before the parse, without it: both must agree. */
  @Test
  void premainReadsTheInstallOptionAsTheParseDoes() {
    for (String args :
        new String[] {
          null,
          "",
          "install=background",
          "file=/x, install = background ,debug",
          "install=background,install=main",
          "install=main,install=background",
          "install=later",
          "install",
          "reinstall=background"
        }) {
      assertThat(BackgroundInstall.requested(args))
          .as(args)
          .isEqualTo(parse(args, Map.of()).backgroundInstall());
    }
  }

  @Test
  void traceContextIsPropagatedUnlessTurnedOff() {
    assertThat(parse(null, Map.of()).propagate()).isTrue();
    assertThat(parse("propagate=off", Map.of()).propagate()).isFalse();
    assertThat(parse("propagate=on", Map.of()).propagate()).isTrue();
    assertThat(warnings).isEmpty();
    assertThat(parse("propagate=yes", Map.of()).propagate()).isTrue();
    assertThat(warnings)
        .containsExactly("reqflow: option propagate='yes' is not on or off; using on");
  }

  @Test
  void durations() {
    assertThat(AgentConfig.parseDuration("0")).isZero();
    assertThat(AgentConfig.parseDuration("2ms")).isEqualTo(2_000_000L);
    assertThat(AgentConfig.parseDuration("1.5s")).isEqualTo(1_500_000_000L);
    assertThat(AgentConfig.parseDuration("10ns")).isEqualTo(10L);
  }

  @Test
  void theTestHookIsAcceptedQuietly() {
    assertThat(parse(null, Map.of()).testFail()).isNull();
    assertThat(parse("test.fail=callEnter", Map.of()).testFail()).isEqualTo("callEnter");
    assertThat(warnings).isEmpty();
  }
}
