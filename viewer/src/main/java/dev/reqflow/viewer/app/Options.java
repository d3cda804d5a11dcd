package dev.reqflow.viewer.app;

import dev.reqflow.viewer.receiver.OtlpReceiver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of the viewer, parsed. Pure; errors are {@link UsageException}s. */
public record Options(
    List<Path> files,
    int port,
    String bind,
    Path screenshot,
    String openCommand,
    boolean help,
    boolean noReceiver,
    double width,
    double height,
    String select,
    boolean headless) {

  /** Options without the screenshot's size and endpoint (tests, callers from before them). */
  public Options(
      List<Path> files,
      int port,
      String bind,
      Path screenshot,
      String openCommand,
      boolean help,
      boolean noReceiver) {
    this(files, port, bind, screenshot, openCommand, help, noReceiver, 0, 0, "", false);
  }

  public static final String USAGE =
      String.join(
          "\n",
          "Usage: reqflow view [OPTIONS] [FILE...]",
          "       java -jar reqflow-viewer.jar [OPTIONS] [FILE...]",
          "",
          "Opens the reqflow viewer on OTLP trace files (protobuf, JSON, JSON lines; gzipped or not)",
          "and listens for OTLP/HTTP traces so that an app run with the reqflow agent streams in live.",
          "",
          "Options:",
          "  --port N              OTLP/HTTP port to listen on (default 4318; 0 picks a free one)",
          "  --bind ADDR           address to listen on (default 127.0.0.1)",
          "  --no-receiver         do not listen for OTLP",
          "  --headless            no window: listen for OTLP and print the report (its summary as",
          "                        flows arrive, the whole report at exit, Ctrl+C)",
          "  --screenshot OUT.png  render the slowest endpoint's median flow, its suggestions and the",
          "                        best one's what-if to a PNG, exit",
          "  --size WxH            the screenshot's size in pixels (default 1600x900)",
          "  --endpoint TEXT       the screenshot shows the first endpoint whose name contains TEXT",
          "  --open-cmd CMD        command that opens a source line, e.g. \"idea --line {line} {file}\"",
          "  --help                show this help",
          "");

  /** A command line that cannot be used; the message says why. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  public static Options parse(String... args) throws UsageException {
    List<Path> files = new ArrayList<>();
    int port = OtlpReceiver.DEFAULT_PORT;
    String bind = OtlpReceiver.DEFAULT_BIND;
    Path screenshot = null;
    String openCmd = "";
    boolean help = false;
    boolean noReceiver = false;
    double width = 0;
    double height = 0;
    String select = "";
    boolean headless = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help":
        case "-h":
          help = true;
          break;
        case "--port":
          String p = value(args, ++i, a);
          try {
            port = Integer.parseInt(p);
          } catch (NumberFormatException e) {
            throw new UsageException("--port needs a number, not " + p);
          }
          if (port < 0 || port > 65535) {
            throw new UsageException("--port must be between 0 and 65535, not " + port);
          }
          break;
        case "--bind":
          bind = value(args, ++i, a);
          break;
        case "--screenshot":
          screenshot = Path.of(value(args, ++i, a));
          break;
        case "--open-cmd":
          openCmd = value(args, ++i, a);
          break;
        case "--headless":
          headless = true;
          break;
        case "--no-receiver":
          noReceiver = true;
          break;
        case "--size":
          String size = value(args, ++i, a);
          String[] wh = size.split("x");
          try {
            if (wh.length != 2) {
              throw new NumberFormatException(size);
            }
            width = Integer.parseInt(wh[0]);
            height = Integer.parseInt(wh[1]);
          } catch (NumberFormatException e) {
            throw new UsageException("--size needs WIDTHxHEIGHT in pixels, not " + size);
          }
          if (width < 640 || height < 400 || width > 8000 || height > 8000) {
            throw new UsageException("--size must be from 640x400 to 8000x8000, not " + size);
          }
          break;
        case "--endpoint":
          select = value(args, ++i, a);
          break;
        default:
          if (a.startsWith("-")) {
            throw new UsageException("unknown option " + a);
          }
          files.add(Path.of(a));
      }
    }
    if (screenshot != null && files.isEmpty() && !help) {
      throw new UsageException("--screenshot needs at least one trace FILE");
    }
    if (headless && !help) {
      if (!files.isEmpty()) {
        throw new UsageException(
            "--headless receives live flows; for files use ./reqflow report FILE");
      }
      if (screenshot != null || noReceiver) {
        throw new UsageException(
            "--headless is the receiver without a window: not with "
                + (screenshot != null ? "--screenshot" : "--no-receiver"));
      }
    }
    return new Options(
        files, port, bind, screenshot, openCmd, help, noReceiver, width, height, select, headless);
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }
}
