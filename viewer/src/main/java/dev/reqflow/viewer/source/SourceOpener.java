package dev.reqflow.viewer.source;

import dev.reqflow.flow.CodeLocation;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a call site in the user's IDE: through IntelliJ IDEA's built-in web server ({@code
 * localhost:63342/api/file/<path>:<line>}), else through a command the user configured, with {@code
 * {file}} and {@code {line}} replaced. Blocking: call it off the FX thread.
 */
public final class SourceOpener {
  public static final String IDEA_BASE = "http://localhost:63342";

  private final String ideaBase;
  private final String command;
  private final HttpClient http;

  public SourceOpener(String ideaBase, String command) {
    this.ideaBase = ideaBase;
    this.command = command == null ? "" : command.trim();
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  }

  /**
   * The path to ask for: the file as recorded when it has directories, else the package of the
   * function's class as directories plus the file name ({@code app.Home.render} in {@code
   * Home.java} gives {@code app/Home.java}). Null when the trace says nothing about the file.
   */
  public static String sourcePath(CodeLocation site) {
    String file = site.file();
    String fn = site.function();
    if (file.isEmpty()) {
      if (fn.isEmpty()) {
        return null;
      }
      int method = fn.lastIndexOf('.');
      String cls = method > 0 ? fn.substring(0, method) : fn;
      int inner = cls.indexOf('$');
      if (inner > 0) {
        cls = cls.substring(0, inner);
      }
      return cls.replace('.', '/') + ".java";
    }
    if (file.contains("/") || file.contains("\\")) {
      return file.replace('\\', '/');
    }
    int method = fn.lastIndexOf('.');
    if (method > 0) {
      String cls = fn.substring(0, method);
      int pkg = cls.lastIndexOf('.');
      if (pkg > 0) {
        return cls.substring(0, pkg).replace('.', '/') + "/" + file;
      }
    }
    return file;
  }

  /** The IntelliJ URL of a call site. */
  public String ideaUrl(String path, int line) {
    String encoded =
        URLEncoder.encode(path, StandardCharsets.UTF_8).replace("%2F", "/").replace("+", "%20");
    return ideaBase + "/api/file/" + encoded + (line > 0 ? ":" + line : "");
  }

  /** The configured command for a file and line, split into arguments; empty when none is set. */
  public List<String> commandFor(String path, int line) {
    List<String> out = new ArrayList<>();
    if (command.isEmpty()) {
      return out;
    }
    for (String part : command.split("\\s+")) {
      out.add(part.replace("{file}", path).replace("{line}", Integer.toString(Math.max(1, line))));
    }
    return out;
  }

  /** Tries the IDE, then the command; returns a message for the status bar. */
  public String open(CodeLocation site) {
    String path = sourcePath(site);
    if (path == null) {
      return "The trace does not say where this happened (no code.* attributes)";
    }
    String where = path + (site.line() > 0 ? ":" + site.line() : "");
    String ideaProblem;
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(ideaUrl(path, site.line())))
                  .timeout(Duration.ofSeconds(2))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) {
        return "Opened " + where + " in IntelliJ IDEA";
      }
      ideaProblem = "IntelliJ IDEA answered " + r.statusCode() + " (file not in an open project?)";
    } catch (IOException e) {
      ideaProblem = "IntelliJ IDEA is not answering on " + ideaBase;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "Interrupted while opening " + where;
    }
    List<String> cmd = commandFor(path, site.line());
    if (cmd.isEmpty()) {
      return "Could not open "
          + where
          + ": "
          + ideaProblem
          + ", and no open command is set (Source > Set open command, or --open-cmd)";
    }
    try {
      new ProcessBuilder(cmd).inheritIO().start();
      return "Opened " + where + " with " + cmd.get(0);
    } catch (IOException e) {
      return "Could not open "
          + where
          + ": "
          + ideaProblem
          + ", and "
          + cmd.get(0)
          + " failed: "
          + e.getMessage();
    }
  }
}
