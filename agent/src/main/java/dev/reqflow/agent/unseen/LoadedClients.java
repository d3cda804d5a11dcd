package dev.reqflow.agent.unseen;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The known client libraries this JVM has loaded whose calls the agent does not record. Told of
 * each class as it loads ({@link #classLoaded}: one hash look-up, nothing kept for the others);
 * read at the end of every flow and at exit ({@link #unrecorded}: a list made once per new library,
 * so reading it allocates nothing).
 */
public final class LoadedClients {
  private final KnownClients known;
  private final Set<String> unrecorded = new TreeSet<>();
  private volatile List<String> snapshot = List.of();

  LoadedClients(KnownClients known) {
    this.known = known;
  }

  /** With the catalog shipped in the agent jar. */
  public static LoadedClients create() {
    return new LoadedClients(KnownClients.load());
  }

  /** A class is being loaded (or was loaded before the agent started). */
  public void classLoaded(String className) {
    KnownClients.Library lib = known.byClass(className);
    if (lib == null || lib.recorded()) {
      return;
    }
    synchronized (unrecorded) {
      if (unrecorded.add(lib.name())) {
        snapshot = List.copyOf(new ArrayList<>(unrecorded));
      }
    }
  }

  /** Names of the loaded libraries the agent does not record, sorted; empty when none. */
  public List<String> unrecorded() {
    return snapshot;
  }
}
