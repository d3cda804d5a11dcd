package dev.reqflow.sample.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.sample.backend.BackendServer;
import dev.reqflow.sample.backend.BackendSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seeds' shape with small numbers: 6 requests of 200 ms, 100 ms per new connection. */
class SeedExperimentTest {
  private static final int REQUESTS = 6;
  private static final long DELAY = 200;
  private static final long CONNECT = 100;

  @Test
  void theApproachesKeepTheSeedsOrder() throws Exception {
    Map<String, Long> ms = new HashMap<>();
    try (BackendServer backend =
        BackendServer.start(0, BackendSettings.defaults().withConnectMs(CONNECT))) {
      SeedExperiment experiment = new SeedExperiment(backend.baseUri(), DELAY, REQUESTS);
      experiment.warmUp();
      for (String approach : SeedExperiment.APPROACHES) {
        ms.put(approach, experiment.time(approach).toMillis());
      }
    }

    // Lower bounds are exact; each step down the table saves at least 300 ms here.
    assertThat(ms.get("serial-new-client")).isGreaterThanOrEqualTo(REQUESTS * (DELAY + CONNECT));
    assertThat(ms.get("serial-shared-client"))
        .isGreaterThanOrEqualTo(REQUESTS * DELAY + CONNECT)
        .isLessThan(ms.get("serial-new-client"));
    assertThat(ms.get("pool-2"))
        .isGreaterThanOrEqualTo(REQUESTS / 2 * DELAY + CONNECT)
        .isLessThan(ms.get("serial-shared-client"));
    assertThat(ms.get("pool-n"))
        .isGreaterThanOrEqualTo(DELAY + CONNECT)
        .isLessThan(ms.get("pool-2"));
    assertThat(ms.get("async"))
        .isGreaterThanOrEqualTo(DELAY + CONNECT)
        .isLessThan(ms.get("pool-2"));
  }
}
