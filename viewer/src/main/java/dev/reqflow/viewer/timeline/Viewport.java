package dev.reqflow.viewer.timeline;

/**
 * The visible window of a timeline: which nanoseconds map to which pixels, and how far the rows are
 * scrolled. Immutable; every interaction returns a new viewport. No JavaFX here, so that the maths
 * is tested on its own.
 *
 * @param startNanos time at the left edge of the plot
 * @param endNanos time at the right edge of the plot
 * @param widthPx width of the plot in pixels
 * @param scrollY rows scrolled up out of view, in pixels
 */
public record Viewport(long startNanos, long endNanos, double widthPx, double scrollY) {
  /** Zooming stops at one microsecond across the plot. */
  public static final long MIN_SPAN_NANOS = 1_000;

  public Viewport {
    if (endNanos - startNanos < MIN_SPAN_NANOS) {
      long mid = startNanos + (endNanos - startNanos) / 2;
      startNanos = mid - MIN_SPAN_NANOS / 2;
      endNanos = startNanos + MIN_SPAN_NANOS;
    }
    widthPx = Math.max(1, widthPx);
    scrollY = Math.max(0, scrollY);
  }

  /** A viewport showing {@code [start, end]} with a margin of 2% on each side. */
  public static Viewport fit(long startNanos, long endNanos, double widthPx) {
    long span = Math.max(MIN_SPAN_NANOS, endNanos - startNanos);
    long margin = span / 50;
    return new Viewport(startNanos - margin, endNanos + margin, widthPx, 0);
  }

  public long spanNanos() {
    return endNanos - startNanos;
  }

  public double nanosPerPixel() {
    return spanNanos() / widthPx;
  }

  /** Pixel of a time, relative to the plot's left edge; outside [0, width] when not visible. */
  public double x(long nanos) {
    return (nanos - startNanos) * widthPx / spanNanos();
  }

  /** Time at a pixel of the plot. */
  public long nanosAt(double x) {
    return startNanos + Math.round(x * spanNanos() / widthPx);
  }

  /** True when some of {@code [start, end]} is visible. */
  public boolean overlaps(long start, long end) {
    return end >= startNanos && start <= endNanos;
  }

  /**
   * Zooms by {@code factor} (above 1 zooms in) keeping the time under pixel {@code x} where it is,
   * as a mouse wheel around the pointer does.
   */
  public Viewport zoomAround(double x, double factor) {
    long anchor = nanosAt(x);
    double newSpan = Math.max(MIN_SPAN_NANOS, spanNanos() / factor);
    double frac = x / widthPx;
    long start = anchor - Math.round(newSpan * frac);
    return new Viewport(start, start + Math.round(newSpan), widthPx, scrollY);
  }

  /** Moves the content by {@code dx} pixels right and {@code dy} pixels down, as a drag does. */
  public Viewport pan(double dx, double dy) {
    long shift = Math.round(dx * nanosPerPixel());
    return new Viewport(startNanos - shift, endNanos - shift, widthPx, scrollY - dy);
  }

  /** Same times on a plot of another width: the window shows the same period, scaled. */
  public Viewport withWidth(double newWidth) {
    return new Viewport(startNanos, endNanos, newWidth, scrollY);
  }

  /** Keeps the rows scrolled within {@code [0, contentHeight - viewHeight]}. */
  public Viewport clampScroll(double contentHeight, double viewHeight) {
    double max = Math.max(0, contentHeight - viewHeight);
    return scrollY > max ? new Viewport(startNanos, endNanos, widthPx, max) : this;
  }
}
