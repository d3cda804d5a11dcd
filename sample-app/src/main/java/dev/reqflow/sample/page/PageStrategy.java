package dev.reqflow.sample.page;

import java.util.List;

/**
 * One way of building the home page from its backends. A strategy does phase one of the two-phase
 * page: it issues the calls (all at once, a few at a time, or not yet, as it sees fit) and returns
 * the sections in page order. Phase two, the render, is the same for every strategy: {@link
 * HomePage} renders each section on the request thread, waiting for its data only if it is not
 * there yet.
 *
 * <p>A strategy is created once and serves many requests at the same time: its clients and
 * executors are shared, unless creating them per call is its point.
 */
public interface PageStrategy extends AutoCloseable {
  /** The name in {@code /home?strategy=NAME}. */
  String name();

  /** One line for the index page: what it does, and what it is like. */
  String description();

  /**
   * Issues the calls for one page, as this strategy does, and returns its sections in page order.
   *
   * @throws IllegalArgumentException when a request parameter is invalid (answered with 400)
   * @throws Exception when the page cannot be built at all (answered with 500)
   */
  List<Section> issue(PageRequest request) throws Exception;

  /** Releases the clients and executors the strategy holds. */
  @Override
  default void close() {}
}
