package dev.reqflow.viewer.app;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/** Writes JavaFX images as PNG through ImageIO, without javafx-swing. */
public final class PngWriter {
  private PngWriter() {}

  /** Snapshots a node (FX thread) and writes it. */
  public static void write(Node node, Path out) throws IOException {
    WritableImage img = node.snapshot(null, null);
    write(img, out);
  }

  public static void write(Image img, Path out) throws IOException {
    int w = (int) img.getWidth();
    int h = (int) img.getHeight();
    int[] argb = new int[w * h];
    img.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
    BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    bi.setRGB(0, 0, w, h, argb, 0, w);
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(bi, "png", out.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }
}
