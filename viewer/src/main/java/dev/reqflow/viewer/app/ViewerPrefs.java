package dev.reqflow.viewer.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

/**
 * What the viewer remembers between runs: recent files, theme, the open-source command, whether the
 * user turned the what-if off.
 */
public final class ViewerPrefs {
  static final int MAX_RECENT = 10;
  private static final String RECENT = "recentFiles";
  private static final String DARK = "darkTheme";
  private static final String OPEN_CMD = "openCommand";
  private static final String WHAT_IF = "whatIf";

  private final Preferences node;

  public ViewerPrefs(Preferences node) {
    this.node = node;
  }

  /** The user's preferences; tests pass their own node instead. */
  public static ViewerPrefs user() {
    return new ViewerPrefs(Preferences.userRoot().node("dev/reqflow/viewer"));
  }

  public List<Path> recentFiles() {
    List<Path> out = new ArrayList<>();
    for (String line : node.get(RECENT, "").split("\n")) {
      if (!line.isBlank()) {
        out.add(Path.of(line));
      }
    }
    return out;
  }

  /** Puts a file first in the recent list, keeping at most {@link #MAX_RECENT}. */
  public void addRecent(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    List<Path> list = new ArrayList<>(recentFiles());
    list.remove(abs);
    list.add(0, abs);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(MAX_RECENT, list.size()); i++) {
      sb.append(list.get(i)).append('\n');
    }
    node.put(RECENT, sb.toString());
  }

  public boolean dark() {
    return node.getBoolean(DARK, false);
  }

  public void setDark(boolean dark) {
    node.putBoolean(DARK, dark);
  }

  /** Whether to draw the selected suggestion's what-if: on until the user turns it off. */
  public boolean whatIf() {
    return node.getBoolean(WHAT_IF, true);
  }

  public void setWhatIf(boolean on) {
    node.putBoolean(WHAT_IF, on);
  }

  public String openCommand() {
    return node.get(OPEN_CMD, "");
  }

  public void setOpenCommand(String command) {
    node.put(OPEN_CMD, command == null ? "" : command);
  }
}
