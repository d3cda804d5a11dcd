package dev.reqflow.viewer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The jars the build makes carry JavaFX's natives and glass toolkit for Linux, Windows and macOS
 * (only Linux can be run here): each library present, macOS's built for the jar's processor.
 */
class DesktopJarsIT {
  private static final Path DIR = Path.of(System.getProperty("reqflow.viewer.jars", "target"));

  /** Mach-O 64-bit cputype values (mach/machine.h): CPU_TYPE_ARM64, CPU_TYPE_X86_64. */
  private static final int ARM64 = 0x0100000c;

  private static final int X86_64 = 0x01000007;

  @ParameterizedTest
  @CsvSource({"reqflow-viewer.jar, arm64", "reqflow-viewer-mac-x64.jar, x86_64"})
  void eachDesktopsNativesAreInTheJar(String jar, String macCpu) throws IOException {
    try (ZipFile zip = new ZipFile(DIR.resolve(jar).toFile())) {
      // Linux (GTK 3), Windows, macOS: the glass toolkit's library and the software renderer's.
      for (String lib :
          new String[] {
            "libglass.so", "libglassgtk3.so", "libprism_sw.so", "libjavafx_font.so",
            "glass.dll", "prism_sw.dll", "javafx_font.dll", "msvcp140.dll",
            "libglass.dylib", "libprism_sw.dylib", "libjavafx_font.dylib"
          }) {
        assertThat(zip.getEntry(lib)).as(jar + " " + lib).isNotNull();
      }
      for (String cls :
          new String[] {
            "com/sun/glass/ui/gtk/GtkApplication.class",
            "com/sun/glass/ui/win/WinApplication.class",
            "com/sun/glass/ui/mac/MacApplication.class"
          }) {
        assertThat(zip.getEntry(cls)).as(jar + " " + cls).isNotNull();
      }
      assertThat(cpuType(zip, zip.getEntry("libglass.dylib")))
          .as(jar + " libglass.dylib processor")
          .isEqualTo(macCpu.equals("arm64") ? ARM64 : X86_64);
    }
  }

  /** The cputype of a thin 64-bit Mach-O file (magic 0xfeedfacf, little-endian). */
  private static int cpuType(ZipFile zip, ZipEntry e) throws IOException {
    try (InputStream in = zip.getInputStream(e)) {
      byte[] h = in.readNBytes(8);
      int magic = (h[0] & 0xff) | (h[1] & 0xff) << 8 | (h[2] & 0xff) << 16 | (h[3] & 0xff) << 24;
      assertThat(magic).as("Mach-O 64-bit magic").isEqualTo(0xfeedfacf);
      return (h[4] & 0xff) | (h[5] & 0xff) << 8 | (h[6] & 0xff) << 16 | (h[7] & 0xff) << 24;
    }
  }
}
