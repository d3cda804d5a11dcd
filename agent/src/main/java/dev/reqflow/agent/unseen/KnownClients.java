package dev.reqflow.agent.unseen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The client libraries the agent knows, read from {@code known-clients.tsv} beside this class: for
 * each, a class the JVM loads when the application uses it, its name, its kind, and whether the
 * agent records its calls. Data, not code, so that an instrumentation that starts recording a
 * library changes one row.
 */
final class KnownClients {
  static final String RESOURCE = "known-clients.tsv";

  /** One known library, found by {@code className}. */
  record Library(String className, String name, String kind, boolean recorded) {}

  private final Map<String, Library> byClass;

  private KnownClients(Map<String, Library> byClass) {
    this.byClass = Map.copyOf(byClass);
  }

  /** The catalog shipped with the agent. */
  static KnownClients load() {
    try (InputStream in = KnownClients.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the agent jar");
      }
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses the catalog: {@code #} starts a comment line; every other non-blank line has four
   * tab-separated fields (class, library, kind, {@code yes}/{@code no}).
   *
   * @throws IllegalArgumentException naming the line that is malformed
   */
  static KnownClients parse(InputStream in) throws IOException {
    Map<String, Library> byClass = new HashMap<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int n = 0;
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != 4 || !(f[3].equals("yes") || f[3].equals("no")) || f[0].isBlank()) {
        throw new IllegalArgumentException(
            RESOURCE + ":" + n + ": expected 'class<TAB>library<TAB>kind<TAB>yes|no': " + line);
      }
      if (byClass.put(f[0], new Library(f[0], f[1], f[2], f[3].equals("yes"))) != null) {
        throw new IllegalArgumentException(RESOURCE + ":" + n + ": " + f[0] + " is listed twice");
      }
    }
    return new KnownClients(byClass);
  }

  /** The library this class marks, or null: one hash look-up, for every class the JVM loads. */
  Library byClass(String className) {
    return byClass.get(className);
  }

  int size() {
    return byClass.size();
  }
}
