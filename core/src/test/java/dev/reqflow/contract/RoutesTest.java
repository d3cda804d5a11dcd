package dev.reqflow.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoutesTest {

  @Test
  void identifierSegmentsBecomeOneTemplate() {
    assertThat(Routes.templated("GET /product-composite/1"))
        .isEqualTo("GET /product-composite/{id}");
    assertThat(Routes.templated("GET /users/42/orders/7?strategy=pool-2"))
        .isEqualTo("GET /users/{id}/orders/{id}?strategy=pool-2");
    assertThat(Routes.templated("DELETE /carts/3f2504e0-4f89-11d3-9a0c-0305e82c3301/"))
        .isEqualTo("DELETE /carts/{id}/");
    assertThat(Routes.templated("GET /blobs/5f3a9c0d8e7b6a41")).isEqualTo("GET /blobs/{id}");
  }

  @Test
  void namesAndWordsStay() {
    assertThat(Routes.templated("GET /home?strategy=pool-2"))
        .isEqualTo("GET /home?strategy=pool-2");
    assertThat(Routes.templated("GET /v1/users")).isEqualTo("GET /v1/users");
    assertThat(Routes.templated("GET /home/per-host-limit")).isEqualTo("GET /home/per-host-limit");
    assertThat(Routes.templated("GET /static/deadbeef")).isEqualTo("GET /static/deadbeef");
    assertThat(Routes.templated("GET /")).isEqualTo("GET /");
    assertThat(Routes.templated("ConcurrentRunner.run")).isEqualTo("ConcurrentRunner.run");
    assertThat(Routes.templated("GET /product/{id}")).isEqualTo("GET /product/{id}");
  }
}
