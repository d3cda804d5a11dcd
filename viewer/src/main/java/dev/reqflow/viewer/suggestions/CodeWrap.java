package dev.reqflow.viewer.suggestions;

import dev.reqflow.viewer.timeline.TextWidth;
import javafx.scene.Node;
import javafx.scene.control.TextArea;
import javafx.scene.text.Text;

/**
 * Text for a read-only, wrapping {@link TextArea} whose words wider than a line (a change site, a
 * URL) are cut where code reads best ({@link SuggestionText#breakLongWords}), not at whatever
 * character reaches the edge ({@code at JdkHttpCalls.java:4} then {@code 5)}): the text area's own
 * wrapping cuts only at spaces. The cuts follow the width the area wraps its text at, as it is
 * resized. FX thread.
 */
public final class CodeWrap {
  /** The text as written, without the line breaks put in for the width. */
  private static final String WHOLE = "reqflow.codeWrap.whole";

  /** The text last set with the line breaks: another text set since is left alone. */
  private static final String SHOWN = "reqflow.codeWrap.shown";

  private CodeWrap() {}

  /** Cuts long words of {@code area}'s text set with {@link #setText} as its wrap width changes. */
  public static void install(TextArea area) {
    area.setWrapText(true);
    // The text node is inside the skin's scroll pane, there only once that has a skin too: looked
    // for again whenever the area is resized, before its layout sets the node's wrapping width.
    area.skinProperty().addListener((o, was, skin) -> hook(area));
    area.widthProperty().addListener((o, was, now) -> hook(area));
    area.heightProperty().addListener((o, was, now) -> hook(area));
    hook(area);
  }

  /** Sets the text, long words cut for the area's present width. */
  public static void setText(TextArea area, String text) {
    area.getProperties().put(WHOLE, text);
    area.getProperties().remove(SHOWN);
    apply(area);
  }

  /**
   * The text as set with {@link #setText}, without the line breaks put in for the width; the area's
   * text when it was set otherwise since.
   */
  public static String wholeText(TextArea area) {
    Object shown = area.getProperties().get(SHOWN);
    Object whole = area.getProperties().get(WHOLE);
    return whole != null && area.getText().equals(shown) ? (String) whole : area.getText();
  }

  private static void hook(TextArea area) {
    Text text = textNode(area);
    if (text != null && !area.getProperties().containsKey(text)) {
      area.getProperties().put(text, Boolean.TRUE);
      text.wrappingWidthProperty().addListener((o, was, now) -> apply(area));
      apply(area);
    }
  }

  private static void apply(TextArea area) {
    String whole = (String) area.getProperties().get(WHOLE);
    Object shown = area.getProperties().get(SHOWN);
    if (whole == null || (shown != null && !area.getText().equals(shown))) {
      return; // cleared or set otherwise since: not ours to cut
    }
    Text node = textNode(area);
    double width = node == null ? 0 : node.getWrappingWidth();
    // a few pixels spare: the advances summed are not the laid-out text's width to the pixel
    String cut =
        SuggestionText.breakLongWords(whole, width - 4, s -> TextWidth.of(s, area.getFont()));
    area.getProperties().put(SHOWN, cut);
    if (!cut.equals(area.getText())) {
      area.setText(cut);
    }
  }

  /** The text node the skin lays the area's text out in; null before the area has a skin. */
  static Text textNode(TextArea area) {
    for (Node n : area.lookupAll(".text")) {
      if (n instanceof Text t && t.getWrappingWidth() >= 0 && !isPrompt(area, t)) {
        return t;
      }
    }
    return null;
  }

  private static boolean isPrompt(TextArea area, Text t) {
    String prompt = area.getPromptText();
    return prompt != null && !prompt.isEmpty() && prompt.equals(t.getText());
  }
}
