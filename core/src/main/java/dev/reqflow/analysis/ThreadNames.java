package dev.reqflow.analysis;

import java.util.Collection;

/** Names of a group of threads for people. */
final class ThreadNames {
  private ThreadNames() {}

  /**
   * The names as one pattern when they differ only in a trailing number ({@code pool-2-thread-1},
   * {@code pool-2-thread-2}: {@code pool-2-thread-*}), the one name when there is one, else the
   * first two and how many more.
   */
  static String pattern(Collection<String> names) {
    if (names.size() == 1) {
      return names.iterator().next();
    }
    String prefix = null;
    for (String n : names) {
      int end = n.length();
      while (end > 0 && Character.isDigit(n.charAt(end - 1))) {
        end--;
      }
      String p = n.substring(0, end);
      if (end == n.length() || (prefix != null && !prefix.equals(p))) {
        return Blindness.some(new java.util.LinkedHashSet<>(names));
      }
      prefix = p;
    }
    return prefix == null ? "" : prefix + "*";
  }
}
