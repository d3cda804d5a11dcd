package dev.reqflow.sample.page;

/**
 * The data of a section, as its backend answered it (JSON). Calling {@link #await()} blocks the
 * render until the data is there: a {@code Future.get}, a {@code join}, or for the serial
 * strategies the synchronous call itself.
 */
@FunctionalInterface
public interface SectionData {
  String await() throws Exception;
}
