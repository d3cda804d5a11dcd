package dev.reqflow.viewer.suggestions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class SuggestionTextTest {
  /** A monospaced font of 7 px a character. */
  private static final ToDoubleFunction<String> MONO = s -> 7.0 * s.length();

  @Test
  void aChangeSiteWiderThanTheListIsCutBeforeItsParenthesis() {
    String title =
        "Reuse connections: 6 calls opened a new one, at"
            + " JdkHttpCalls.sendAsync(JdkHttpCalls.java:45)";
    // 42 characters a line: the change site (44) does not fit one
    assertThat(SuggestionText.breakLongWords(title, 42 * 7, MONO))
        .isEqualTo(
            "Reuse connections: 6 calls opened a new one, at"
                + " JdkHttpCalls.sendAsync\n(JdkHttpCalls.java:45)");
  }

  @Test
  void withoutAParenthesisInTheLineItIsCutAfterADotOrADollar() {
    String site = "BlockingCallback$MarkingRecommended.onResponse(BlockingCallback.java:104)";
    assertThat(SuggestionText.breakLongWords(site, 40 * 7, MONO))
        .isEqualTo("BlockingCallback$MarkingRecommended.\nonResponse(BlockingCallback.java:104)");
    assertThat(SuggestionText.breakLongWords(site, 20 * 7, MONO))
        .isEqualTo(
            "BlockingCallback$\nMarkingRecommended.\nonResponse\n(BlockingCallback.\njava:104)");
    // no such place: where the line is full
    assertThat(SuggestionText.breakLongWords("abcdefghij", 4 * 7, MONO))
        .isEqualTo("abcd\nefgh\nij");
  }

  @Test
  void aUrlIsCutAfterASlashOrAQuestionMarkAndLinesAreWrappedEachOnItsOwn() {
    String text = "calls:\n  - GET http://127.0.0.1:41439/recommendations?userId=REDACTED at";
    assertThat(SuggestionText.breakLongWords(text, 32 * 7, MONO))
        .isEqualTo("calls:\n  - GET http://127.0.0.1:41439/\nrecommendations?userId=REDACTED at");
    assertThat(SuggestionText.breakLongWords(text, 24 * 7, MONO))
        .isEqualTo("calls:\n  - GET http://127.0.0.1:41439/\nrecommendations?\nuserId=REDACTED at");
  }

  @Test
  void textThatFitsIsLeftAsWritten() {
    String title = "Issue the 6 calls together, at HomePage.render(HomePage.java:32)";
    assertThat(SuggestionText.breakLongWords(title, 40 * 7, MONO)).isEqualTo(title);
    // not laid out yet: no width to cut for
    assertThat(SuggestionText.breakLongWords("averyveryverylongword", 0, MONO))
        .isEqualTo("averyveryverylongword");
    assertThat(SuggestionText.breakLongWords("", 10, MONO)).isEmpty();
  }
}
