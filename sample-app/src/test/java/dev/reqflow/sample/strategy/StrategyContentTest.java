package dev.reqflow.sample.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.sample.backend.Backend;
import dev.reqflow.sample.backend.BackendSettings;
import dev.reqflow.sample.service.SampleService;
import dev.reqflow.sample.testing.Pages;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every strategy serves the right page: each section present with its backend's data. */
class StrategyContentTest {
  private static SampleService service;
  private static SampleService failingCart;
  private static Pages pages;
  private static Pages pagesWithFailingCart;

  @BeforeAll
  static void start() throws Exception {
    BackendSettings quick = BackendSettings.defaults().withScale(0.05).withConnectMs(0);
    service = SampleService.start(0, 0, quick);
    failingCart = SampleService.start(0, 0, quick.withFailing(Backend.CART));
    pages = new Pages(service.pagesUri());
    pagesWithFailingCart = new Pages(failingCart.pagesUri());
  }

  @AfterAll
  static void stop() {
    service.close();
    failingCart.close();
  }

  static Stream<String> homeStrategies() {
    return Strategies.NAMES.stream().filter(name -> !name.equals(PerHostLimit.NAME));
  }

  @ParameterizedTest
  @MethodSource("homeStrategies")
  void everyHomeSectionHasItsBackendsData(String strategy) throws Exception {
    Pages.Loaded page = pages.home(strategy);

    assertThat(page.status()).isEqualTo(200);
    Map<String, String> sections = page.sections();
    assertThat(sections.keySet())
        .containsExactly("user", "recommendations", "reviews", "cart", "ads", "deals");
    assertThat(sections.get("user")).contains("\"id\":\"u-1042\"", "Ada Lovelace");
    assertThat(sections.get("recommendations")).contains("\"userId\":\"u-1042\"", "\"items\"");
    assertThat(sections.get("reviews")).contains("Grinds evenly");
    assertThat(sections.get("cart")).contains("\"session\":\"s-1042\"", "\"total\"");
    assertThat(sections.get("ads")).contains("\"ads\":[{\"id\":\"ad-");
    assertThat(sections.get("deals")).contains("Milk frother");
  }

  @Test
  void dependentResolvesTheUserFromTheSession() throws Exception {
    Map<String, String> sections = pages.home("dependent&session=s-7&userId=ignored").sections();

    assertThat(sections.get("user")).contains("\"id\":\"u-7\"");
    assertThat(sections.get("recommendations")).contains("\"userId\":\"u-7\"");
  }

  @Test
  void blockingCallbackMarksWhatIsAlsoRecommended() throws Exception {
    for (String query : List.of("blocking-callback", "blocking-callback&combine=true")) {
      Map<String, String> sections = pages.home(query).sections();

      assertThat(sections.get("cart")).contains("\"alsoRecommended\":[\"p-10\"]");
      assertThat(sections.get("deals")).contains("\"alsoRecommended\":[]", "Milk frother");
    }
  }

  @Test
  void perHostLimitShowsTenProductTiles() throws Exception {
    for (String query : List.of("per-host-limit", "per-host-limit&perHost=10")) {
      Map<String, String> tiles = pages.home(query).sections();

      assertThat(tiles).hasSize(10);
      for (int id = 1; id <= 10; id++) {
        assertThat(tiles.get("product-" + id)).contains("\"id\":\"p-" + id + "\"", "\"price\"");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("homeStrategies")
  void aFailingBackendFailsOnlyItsSection(String strategy) throws Exception {
    Pages.Loaded page = pagesWithFailingCart.home(strategy);

    assertThat(page.status()).isEqualTo(200);
    Map<String, String> sections = page.sections();
    assertThat(sections.get("cart")).startsWith("ERROR unavailable:").contains("503");
    assertThat(sections.get("deals")).contains("Milk frother");
    assertThat(sections.get("user")).contains("Ada Lovelace");
  }

  @Test
  void theIndexLinksEveryStrategy() throws Exception {
    Pages.Loaded index = pages.get("");

    assertThat(index.status()).isEqualTo(200);
    for (String name : Strategies.NAMES) {
      assertThat(index.body()).contains("<a href=\"/home?strategy=" + name + "\">");
    }
  }

  @Test
  void anUnknownStrategyIsNotFoundAndListsTheOthers() throws Exception {
    Pages.Loaded page = pages.home("fastest");

    assertThat(page.status()).isEqualTo(404);
    assertThat(page.body()).contains("No strategy named 'fastest'", "strategy=async\"");
  }

  @Test
  void badStrategyOptionsAreBadRequests() throws Exception {
    assertThat(pages.home("per-host-limit&perHost=0").status()).isEqualTo(400);
    assertThat(pages.home("slow-outlier&timeoutMs=soon").status()).isEqualTo(400);
    assertThat(pages.home("blocking-callback&combine=yes").status()).isEqualTo(400);
  }
}
