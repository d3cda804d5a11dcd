package dev.reqflow.viewer.timeline;

import java.util.HashMap;
import java.util.Map;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * Widths of text drawn on the canvas, from the font's own advances: each character is measured once
 * per font (a {@link Text} node's layout), then strings are sums. Laying out every label as a node
 * would cost more than drawing the frame. FX thread (Text nodes need the toolkit).
 */
public final class TextWidth {
  private static final Map<Font, Map<Character, Double>> ADVANCES = new HashMap<>();
  private static final String ELLIPSIS = "…";

  private TextWidth() {}

  /** Width in pixels of {@code s} in {@code font}. */
  public static double of(String s, Font font) {
    Map<Character, Double> advances = ADVANCES.computeIfAbsent(font, f -> new HashMap<>());
    double w = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      Double a = advances.get(c);
      if (a == null) {
        a = measure(String.valueOf(c), font);
        advances.put(c, a);
      }
      w += a;
    }
    return w;
  }

  /** Width of {@code s} as a laid-out text node: what the tests compare {@link #of} with. */
  public static double measure(String s, Font font) {
    Text t = new Text(s);
    t.setFont(font);
    return t.getLayoutBounds().getWidth();
  }

  /**
   * {@code s} broken at spaces into lines at most {@code px} wide, greedily, at most {@code
   * maxLines} of them: the last line has the rest, whatever its width (the caller cuts it with
   * {@link #fit}). A word wider than {@code px} is a line of its own. At least one line.
   */
  public static java.util.List<String> wrap(String s, Font font, double px, int maxLines) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    String rest = s;
    while (lines.size() < maxLines - 1 && of(rest, font) > px) {
      int cut = -1;
      for (int i = rest.indexOf(' '); i > 0; i = rest.indexOf(' ', i + 1)) {
        if (of(rest.substring(0, i), font) > px) {
          break;
        }
        cut = i;
      }
      if (cut < 0) {
        cut = rest.indexOf(' ');
        if (cut < 0) {
          break;
        }
      }
      lines.add(rest.substring(0, cut));
      rest = rest.substring(cut + 1).stripLeading();
    }
    lines.add(rest);
    return lines;
  }

  /**
   * {@code s} cut at its end with an ellipsis so that it is at most {@code px} wide; {@code s}
   * itself when it fits, {@code ""} when not even one character and the ellipsis do.
   */
  public static String fit(String s, Font font, double px) {
    if (of(s, font) <= px) {
      return s;
    }
    double room = px - of(ELLIPSIS, font);
    int lo = 0;
    int hi = s.length();
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (of(s.substring(0, mid), font) <= room) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo == 0 ? "" : s.substring(0, lo).stripTrailing() + ELLIPSIS;
  }
}
