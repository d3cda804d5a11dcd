package dev.reqflow.sample.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.sample.backend.Backend;
import dev.reqflow.sample.backend.BackendSettings;
import dev.reqflow.sample.backend.Latency;
import dev.reqflow.sample.service.SampleService;
import dev.reqflow.sample.testing.Pages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page times that follow from the configured latencies. Lower bounds are exact (a page cannot
 * be faster than the waits it is made of); upper bounds leave hundreds of milliseconds for a busy
 * machine and take the fastest of a few loads. Every strategy is loaded once first, so connections
 * and classes are warm.
 */
class StrategyTimingTest {
  private static final long USER = 100;
  private static final long RECOMMENDATIONS = 300;
  private static final long OTHERS = 100;
  private static final long DEALS = 200;
  private static final long SUM = USER + RECOMMENDATIONS + 3 * OTHERS + DEALS;
  private static final long SLOWEST = RECOMMENDATIONS;
  private static final long PRODUCT = 300;
  private static final long CONNECT = 100;
  private static final long AUCTION_TAIL = 2000;

  /** What a busy machine may add to a page in the upper bounds. */
  private static final long SLACK = 250;

  private static SampleService service;
  private static Pages pages;

  @BeforeAll
  static void start() throws Exception {
    BackendSettings settings =
        BackendSettings.defaults()
            .withConnectMs(CONNECT)
            .withLatency(Backend.USER, Latency.fixed(USER))
            .withLatency(Backend.RECOMMENDATIONS, Latency.fixed(RECOMMENDATIONS))
            .withLatency(Backend.REVIEWS, Latency.fixed(OTHERS))
            .withLatency(Backend.CART, Latency.fixed(OTHERS))
            .withLatency(Backend.ADS, Latency.fixed(OTHERS))
            .withLatency(Backend.DEALS, Latency.fixed(DEALS))
            .withLatency(Backend.PRODUCT, Latency.fixed(PRODUCT))
            .withLatency(Backend.ADS_AUCTION, Latency.heavyTail(OTHERS, AUCTION_TAIL, 1.0, 1));
    service = SampleService.start(0, 0, settings);
    pages = new Pages(service.pagesUri());
    for (String name : Strategies.NAMES) {
      pages.home(name.equals(SlowOutlier.NAME) ? name + "&timeoutMs=50" : name);
    }
    pages.home("per-host-limit&perHost=10");
    pages.home("blocking-callback&combine=true");
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void serialPagesCostTheSumOfTheLatencies() throws Exception {
    assertThat(pages.home("serial-shared-client").millis()).isGreaterThanOrEqualTo(SUM);
  }

  @Test
  void aNewClientPerCallAlsoPaysAHandshakePerCall() throws Exception {
    long newClient = pages.home("serial-new-client").millis();
    long sharedClient = pages.fastestOf(2, "serial-shared-client");

    assertThat(newClient).isGreaterThanOrEqualTo(SUM + 6 * CONNECT);
    assertThat(sharedClient).isLessThan(newClient - 2 * CONNECT);
  }

  @Test
  void issuingEverythingFirstCostsAboutTheSlowestCall() throws Exception {
    for (String strategy : new String[] {"async", "async-okhttp", "pool-n"}) {
      assertThat(pages.home(strategy).millis()).as(strategy).isGreaterThanOrEqualTo(SLOWEST);
      assertThat(pages.fastestOf(2, strategy)).as(strategy).isLessThan(SLOWEST + SLACK);
    }
  }

  @Test
  void twoWorkersAreBetweenSerialAndAsync() throws Exception {
    // Two workers share the total work at best.
    assertThat(pages.home("pool-2").millis()).isGreaterThanOrEqualTo(SUM / 2);
    assertThat(pages.fastestOf(2, "pool-2")).isLessThan(SUM - SLACK);
  }

  @Test
  void aLateIssueAddsTheWaitBeforeIt() throws Exception {
    assertThat(pages.home("late-issue").millis()).isGreaterThanOrEqualTo(OTHERS + SLOWEST);
  }

  @Test
  void aRealDependencyChainsUserAndRecommendations() throws Exception {
    assertThat(pages.home("dependent").millis()).isGreaterThanOrEqualTo(USER + RECOMMENDATIONS);
    assertThat(pages.fastestOf(2, "dependent")).isLessThan(USER + RECOMMENDATIONS + SLACK);
  }

  @Test
  void blockedCallbacksHoldTheHostsSlotsSoTheLastCallWaits() throws Exception {
    // Deals is sixth for a host limit of 5: it starts only once the blocked callbacks return,
    // when the recommendations are in.
    assertThat(pages.home("blocking-callback").millis())
        .isGreaterThanOrEqualTo(RECOMMENDATIONS + DEALS);
  }

  @Test
  void combiningInsteadOfBlockingLetsTheLastCallStartEarly() throws Exception {
    assertThat(pages.fastestOf(2, "blocking-callback&combine=true"))
        .isGreaterThanOrEqualTo(SLOWEST)
        .isLessThan(RECOMMENDATIONS + DEALS - 100);
  }

  @Test
  void fivePerHostMakesTwoWavesOfTiles() throws Exception {
    assertThat(pages.home("per-host-limit").millis()).isGreaterThanOrEqualTo(2 * PRODUCT);
  }

  @Test
  void tenPerHostMakesOneWave() throws Exception {
    long oneWave = pages.fastestOf(2, "per-host-limit&perHost=10");

    assertThat(oneWave).isGreaterThanOrEqualTo(PRODUCT).isLessThan(2 * PRODUCT - 100);
  }

  @Test
  void aSlowOutlierHoldsThePageAndATimeoutCapsIt() throws Exception {
    Pages.Loaded slow = pages.home("slow-outlier");
    Pages.Loaded capped = pages.home("slow-outlier&timeoutMs=300");

    assertThat(slow.millis()).isGreaterThanOrEqualTo(AUCTION_TAIL);
    assertThat(slow.sections().get("ads")).contains("\"winner\"");
    assertThat(capped.millis()).isGreaterThanOrEqualTo(SLOWEST).isLessThan(AUCTION_TAIL / 2);
    assertThat(capped.sections().get("ads")).contains("\"fallback\":true");
  }
}
