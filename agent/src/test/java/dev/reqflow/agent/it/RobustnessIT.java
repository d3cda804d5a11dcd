package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Bad options and an unreachable endpoint cost the application nothing. */
class RobustnessIT {

  @Test
  void badOptionsAreReportedOnceAndTheDefaultsApply() throws Exception {
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            "colour=blue,block.threshold=soon,flows=NoHash",
            AgentRun.programClassPath(),
            PatternsIT.MAIN,
            "jdk-send");
    assertThat(rec.stderr).contains("reqflow: unknown option 'colour'");
    assertThat(rec.stderr).contains("reqflow: option block.threshold='soon'");
    assertThat(rec.stderr).contains("reqflow: option flows='NoHash'");
    assertThat(rec.under(rec.page("jdk-send"), "call")).hasSize(1);
  }

  @Test
  void lateAttachToARunningJvm() throws Exception {
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            "",
            AgentRun.programClassPath(),
            PatternsIT.MAIN,
            "self-attach",
            "pool-2",
            "async");
    assertThat(rec.stderr).contains("reqflow agent").doesNotContain("SELF-CHECK FAILED");
    assertThat(rec.under(rec.page("pool-2"), "call")).hasSize(6);
    assertThat(rec.under(rec.page("pool-2"), "block")).isNotEmpty();
    assertThat(rec.under(rec.page("async"), "call")).hasSize(4);
  }

  @Test
  void otlpHttpReachesAReceiver() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    receiver.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          received.add(
              ex.getRequestMethod()
                  + " "
                  + ex.getRequestURI().getPath()
                  + " "
                  + ex.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + new String(body, StandardCharsets.ISO_8859_1));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    receiver.start();
    try {
      AgentRun.run(
          System.getProperty("java.home"),
          "endpoint=http://127.0.0.1:" + receiver.getAddress().getPort(),
          AgentRun.programClassPath(),
          PatternsIT.MAIN,
          "jdk-send");
    } finally {
      receiver.stop(0);
    }
    assertThat(received).isNotEmpty();
    assertThat(received).allMatch(r -> r.startsWith("POST /v1/traces application/x-protobuf "));
    assertThat(String.join("", received))
        .contains("GET /home/jdk-send")
        .contains("reqflow.agent.version");
  }

  @Test
  void unreachableEndpointDoesNotHoldTheApplication() throws Exception {
    long start = System.nanoTime();
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            "endpoint=http://127.0.0.1:9/v1/traces",
            AgentRun.programClassPath(),
            PatternsIT.MAIN,
            "async");
    // The file still gets everything; the failing OTLP sink is reported once at most.
    assertThat(rec.under(rec.page("async"), "call")).hasSize(4);
    assertThat(rec.stderr.split("export to OTLP", -1).length).isLessThanOrEqualTo(2);
    assertThat(System.nanoTime() - start).isLessThan(60_000_000_000L);
  }
}
