package dev.reqflow.agent.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestTokensTest {

  private static List<String> of(java.util.function.Consumer<TokenSink> source) {
    List<String> out = new ArrayList<>();
    source.accept((b, off, len) -> out.add(new String(b, off, len, StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  void aUrlsIdLikeSegmentsAndQueryValues() {
    List<String> t =
        of(s -> RequestTokens.url("http://api:8080/users/48213/orders?cursor=c7f3%2Fa9&x=1", s));

    assertThat(t)
        .containsExactly(
            "http://api:8080/users/48213/orders?cursor=c7f3%2Fa9&x=1",
            "/users/48213/orders?cursor=c7f3%2Fa9&x=1", "48213", "c7f3/a9");
  }

  @Test
  void rangesOfTheUrlAndDecodedOrNonAsciiTokensAlike() {
    List<String> t =
        of(
            s ->
                RequestTokens.url(
                    "http://api/caf\u00e9-12345/ab/x+y9/orders?name=J\u00fcrgen42&q=a+b1&n=ab", s));

    assertThat(t)
        .containsExactly(
            "http://api/caf\u00e9-12345/ab/x+y9/orders?name=J\u00fcrgen42&q=a+b1&n=ab",
            "/caf\u00e9-12345/ab/x+y9/orders?name=J\u00fcrgen42&q=a+b1&n=ab",
            "caf\u00e9-12345",
            "x y9",
            "J\u00fcrgen42",
            "a b1");
  }

  @Test
  void headerValuesButNotTheProtocolsOwn() {
    byte[] h =
        ("Accept: application/json\nAuthorization: Bearer eyJhbGciOi.payload\n"
                + "X-Tenant: acme-42\n")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(of(s -> RequestTokens.headers(h, 0, h.length, s)))
        .containsExactly("Bearer eyJhbGciOi.payload", "eyJhbGciOi.payload", "acme-42");
  }
}
