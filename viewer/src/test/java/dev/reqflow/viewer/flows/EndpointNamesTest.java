package dev.reqflow.viewer.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointNamesTest {
  /** The sample app's pages as `./reqflow demo` names them (agent option flow.query=strategy). */
  static final List<String> DEMO =
      List.of(
          "GET /home?strategy=async",
          "GET /home?strategy=async-okhttp",
          "GET /home?strategy=blocking-callback",
          "GET /home?strategy=serial-new-client",
          "GET /home?strategy=serial-shared-client",
          "GET /home?strategy=slow-outlier");

  @Test
  void theDemosPagesKeepTheirStrategyOnly() {
    String prefix = EndpointNames.sharedPrefix(DEMO);
    assertThat(prefix).isEqualTo("GET /home?strategy=");
    assertThat(DEMO.stream().map(n -> EndpointNames.shown(n, prefix)))
        .containsExactly(
            "async",
            "async-okhttp",
            "blocking-callback",
            "serial-new-client",
            "serial-shared-client",
            "slow-outlier");
  }

  @Test
  void routesOfOneMethodLoseTheMethodAndKeepTheirSlash() {
    List<String> routes = List.of("GET /ads", "GET /ads/auction", "GET /cart", "GET /home");
    String prefix = EndpointNames.sharedPrefix(routes);
    assertThat(prefix).isEqualTo("GET ");
    assertThat(EndpointNames.shown("GET /ads/auction", prefix)).isEqualTo("/ads/auction");
    // a shared path segment goes too, up to the slash that starts what differs
    assertThat(EndpointNames.sharedPrefix(List.of("GET /api/users", "GET /api/cart")))
        .isEqualTo("GET /api");
  }

  @Test
  void theListSaysThePrefixOnceAsATemplateTheRowsFillIn() {
    assertThat(EndpointNames.captionOf("GET /home?strategy="))
        .isEqualTo("GET /home?strategy={strategy}");
    assertThat(EndpointNames.columnName("GET /home?strategy=")).isEqualTo("strategy");
    assertThat(EndpointNames.columnName("GET /a?x=1&mode=")).isEqualTo("mode");
    assertThat(EndpointNames.captionOf("GET ")).isEqualTo("GET {path}");
    assertThat(EndpointNames.captionOf("GET /api")).isEqualTo("GET /api{path}");
    assertThat(EndpointNames.captionOf("GET /a?")).isEqualTo("GET /a?{query}");
    assertThat(EndpointNames.captionOf("GET /a?k=1&")).isEqualTo("GET /a?k=1&{query}");
    // an "=" outside a query names no parameter
    assertThat(EndpointNames.columnName("GET /a=")).isEqualTo("path");
    assertThat(EndpointNames.captionOf("")).isEmpty();
  }

  @Test
  void nothingIsDroppedWhenNothingIsShared() {
    assertThat(EndpointNames.sharedPrefix(List.of("GET /a", "POST /a"))).isEmpty();
    assertThat(EndpointNames.sharedPrefix(List.of("GET /home?strategy=async"))).isEmpty();
    assertThat(EndpointNames.sharedPrefix(List.of())).isEmpty();
    // the same name twice (two sources) is one endpoint: nothing to tell apart
    assertThat(EndpointNames.sharedPrefix(List.of("GET /a", "GET /a"))).isEmpty();
  }

  @Test
  void everyNameKeepsSomethingAndNoneIsCutMidWord() {
    // one name is the other's start: both keep their own text after the prefix
    assertThat(EndpointNames.sharedPrefix(List.of("GET /home", "GET /home/x"))).isEqualTo("GET ");
    assertThat(EndpointNames.sharedPrefix(List.of("GET /a?k=", "GET /a?k=v"))).isEqualTo("GET /a?");
    // a slash only one name has is not shared
    assertThat(EndpointNames.sharedPrefix(List.of("GET /ab/c", "GET /abx"))).isEqualTo("GET ");
    assertThat(EndpointNames.shown("(unnamed)", "GET ")).isEqualTo("(unnamed)");
  }
}
