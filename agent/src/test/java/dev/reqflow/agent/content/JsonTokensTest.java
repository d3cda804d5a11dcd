package dev.reqflow.agent.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTokensTest {

  private static List<String> tokens(String... pieces) {
    List<String> out = new ArrayList<>();
    JsonTokens t =
        new JsonTokens((b, off, len) -> out.add(new String(b, off, len, StandardCharsets.UTF_8)));
    for (String p : pieces) {
      byte[] b = p.getBytes(StandardCharsets.UTF_8);
      t.feed(b, 0, b.length);
    }
    t.end();
    return out;
  }

  @Test
  void valuesNotKeysNorShortOnesNorLiterals() {
    assertThat(
            tokens(
                "{\"id\":\"user-48213\",\"n\":7,\"score\":123.5,\"ok\":true,\"tags\":[\"gold\",\"en\"],"
                    + "\"next\":\"\\/items?page=2\"}"))
        .containsExactly("user-48213", "123.5", "gold", "/items?page=2");
  }

  @Test
  void tokensSpanPieces() {
    assertThat(tokens("{\"id\":\"us", "er-482", "13\",\"v\":12", "345}"))
        .containsExactly("user-48213", "12345");
  }

  @Test
  void anythingButJsonYieldsNothing() {
    assertThat(tokens("<html>\"user-48213\" 12345</html>")).isEmpty();
  }

  @Test
  void theDocumentEndsWhereItsOutermostValueCloses() {
    List<String> out = new ArrayList<>();
    JsonTokens t = new JsonTokens((b, off, len) -> out.add(new String(b, off, len)));
    byte[] b = "[{\"a\":\"one-1\"}] \"two-2\"".getBytes(StandardCharsets.UTF_8);

    t.feed(b, 0, b.length);

    assertThat(t.wanted()).isFalse();
    assertThat(out).containsExactly("one-1");
  }
}
