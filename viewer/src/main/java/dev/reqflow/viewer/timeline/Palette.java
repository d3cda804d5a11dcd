package dev.reqflow.viewer.timeline;

import dev.reqflow.flow.PhaseKind;
import javafx.scene.paint.Color;

/**
 * Colours of the timeline. Blocked time is the one strong warm colour, hatched, so that it stands
 * out at a glance; phases use cool and pale hues that stay apart from it.
 */
public record Palette(
    Color background,
    Color gutter,
    Color text,
    Color mutedText,
    Color grid,
    Color running,
    Color blocked,
    Color blockedHatch,
    Color call,
    Color merged,
    Color link,
    Color dependency,
    Color critical,
    Color selection,
    Color evidence,
    Color whatIf,
    Color[] phases) {

  public static final Palette LIGHT =
      new Palette(
          Color.web("#ffffff"),
          Color.web("#f3f4f6"),
          Color.web("#1f2937"),
          Color.web("#6b7280"),
          Color.web("#e5e7eb"),
          Color.web("#9ca3af"),
          Color.web("#dc2626"),
          Color.web("#fecaca"),
          Color.web("#60a5fa"),
          Color.web("#64748b"),
          Color.web("#b91c1c"),
          Color.web("#7c3aed"),
          Color.web("#111827"),
          Color.web("#f59e0b"),
          Color.web("#f59e0b"),
          Color.web("#059669"),
          phaseColors(false));

  public static final Palette DARK =
      new Palette(
          Color.web("#111827"),
          Color.web("#1f2937"),
          Color.web("#f3f4f6"),
          Color.web("#9ca3af"),
          Color.web("#374151"),
          Color.web("#6b7280"),
          Color.web("#ef4444"),
          Color.web("#7f1d1d"),
          Color.web("#60a5fa"),
          Color.web("#94a3b8"),
          Color.web("#f87171"),
          Color.web("#a78bfa"),
          Color.web("#f9fafb"),
          Color.web("#fbbf24"),
          Color.web("#fbbf24"),
          Color.web("#34d399"),
          phaseColors(true));

  private static Color[] phaseColors(boolean dark) {
    Color[] c = new Color[PhaseKind.values().length];
    c[PhaseKind.QUEUED.ordinal()] = Color.web(dark ? "#a78bfa" : "#c4b5fd");
    c[PhaseKind.DNS.ordinal()] = Color.web("#22d3ee");
    c[PhaseKind.CONNECT.ordinal()] = Color.web("#facc15");
    c[PhaseKind.TLS.ordinal()] = Color.web("#a16207");
    c[PhaseKind.SEND.ordinal()] = Color.web("#f472b6");
    c[PhaseKind.SERVER.ordinal()] = Color.web("#3b82f6");
    c[PhaseKind.DOWNLOAD.ordinal()] = Color.web("#22c55e");
    return c;
  }

  public Color phase(PhaseKind kind) {
    return phases[kind.ordinal()];
  }

  /** Legend text of a phase. */
  public static String phaseName(PhaseKind kind) {
    switch (kind) {
      case QUEUED:
        return "queued";
      case DNS:
        return "DNS";
      case CONNECT:
        return "connect";
      case TLS:
        return "TLS";
      case SEND:
        return "send";
      case SERVER:
        return "waiting for first byte";
      case DOWNLOAD:
        return "download";
      default:
        return kind.label();
    }
  }
}
