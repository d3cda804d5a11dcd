package dev.reqflow.bench.overhead;

import java.nio.file.Path;

/**
 * A page server of the CPU comparison: a {@link Variant}, optionally with another reqflow agent jar
 * than the build's, and a tag that tells apart two servers of the same variant (the A/A check).
 * Written {@code VARIANT[@JAR][#TAG]}, e.g. {@code reqflow-sampled@/tmp/base-agent.jar#2}.
 *
 * @param label how the report names it: the variant, then {@code @} and the jar's file name, then
 *     {@code #} and the tag, as given
 */
record CpuVariant(String label, Variant variant, Jars jars) {

  /**
   * Parses one {@code VARIANT[@JAR][#TAG]}; {@code jars} are the default ones. Throws {@link
   * IllegalArgumentException} for an unknown variant or a jar given to a variant without the
   * reqflow agent.
   */
  static CpuVariant parse(String spec, Jars jars) {
    String rest = spec.trim();
    String tag = null;
    int hash = rest.lastIndexOf('#');
    if (hash >= 0) {
      tag = rest.substring(hash + 1);
      rest = rest.substring(0, hash);
    }
    Path jar = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      jar = Path.of(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    String id = rest;
    Variant variant =
        Variant.byId(id).orElseThrow(() -> new IllegalArgumentException("no variant " + id));
    if (jar != null && !variant.id().startsWith("reqflow")) {
      throw new IllegalArgumentException(
          spec + ": a jar can be given to the reqflow variants only");
    }
    String label =
        variant.id()
            + (jar == null ? "" : "@" + jar.getFileName())
            + (tag == null ? "" : "#" + tag);
    return new CpuVariant(label, variant, jar == null ? jars : jars.withReqflowAgent(jar));
  }
}
