package dev.reqflow.viewer.app;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/**
 * Help ▸ Keyboard shortcuts (F1): every key and mouse gesture, the menus' accelerators read from
 * the menus themselves (so none is missing or stale), then the timeline's own keys.
 */
final class KeysDialog {
  private KeysDialog() {}

  /** A key or gesture and what it does. */
  record Key(String keys, String action) {}

  /** The timeline's keys and gestures, which are not menu items. */
  static final List<Key> TIMELINE =
      List.of(
          new Key("Wheel", "zoom around the pointer (1.25× a notch)"),
          new Key("Shift+wheel", "scroll the lanes"),
          new Key("Drag", "pan"),
          new Key("F", "fit the whole flow"),
          new Key("+ / -", "zoom in / out around the middle"),
          new Key("← / →", "pan a tenth of the width"),
          new Key("Click", "select a call or wait: its details"),
          new Key("Double-click, Enter", "open the selection's source line"),
          new Key("Esc", "clear the selection"),
          new Key("Drag on the overview", "choose the range shown"),
          new Key("Drop files on the window", "open them"));

  /** Every menu item with an accelerator, then {@link #TIMELINE}. */
  static List<Key> all(MenuBar menus) {
    List<Key> out = new ArrayList<>();
    for (Menu m : menus.getMenus()) {
      collect(m, out);
    }
    out.addAll(TIMELINE);
    return out;
  }

  private static void collect(Menu menu, List<Key> out) {
    for (MenuItem i : menu.getItems()) {
      if (i instanceof Menu sub) {
        collect(sub, out);
      } else if (i.getAccelerator() != null) {
        out.add(new Key(i.getAccelerator().getDisplayText(), plain(i.getText())));
      }
    }
  }

  /** A menu item's text without its mnemonic marker. */
  static String plain(String text) {
    return text == null ? "" : text.replace("_", "");
  }

  /** The table of keys, two columns. */
  static GridPane table(List<Key> keys) {
    GridPane grid = new GridPane();
    grid.setHgap(16);
    grid.setVgap(3);
    grid.getStyleClass().add(STYLE_CLASS);
    for (int r = 0; r < keys.size(); r++) {
      Label k = new Label(keys.get(r).keys());
      k.setStyle("-fx-font-weight: bold;");
      k.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
      Label a = new Label(keys.get(r).action());
      a.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
      grid.add(k, 0, r);
      grid.add(a, 1, r);
    }
    return grid;
  }

  static final String STYLE_CLASS = "reqflow-keys";

  /** Shows the dialog, not modal: it can stay open beside the window. */
  static Dialog<Void> show(Window owner, MenuBar menus) {
    Dialog<Void> d = new Dialog<>();
    d.initOwner(owner);
    d.initModality(javafx.stage.Modality.NONE);
    d.setTitle("Keyboard shortcuts");
    d.setHeaderText(null);
    ScrollPane scroll = new ScrollPane(table(all(menus)));
    scroll.setFitToWidth(true);
    scroll.setPrefViewportHeight(Math.min(520, 22.0 * all(menus).size()));
    d.getDialogPane().setContent(scroll);
    d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
    d.setResizable(true);
    d.show();
    return d;
  }
}
