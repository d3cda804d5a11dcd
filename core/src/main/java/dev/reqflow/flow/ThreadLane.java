package dev.reqflow.flow;

import java.util.List;

/**
 * Everything that happened on one thread of a flow: a row of the timeline. Lists are in start
 * order.
 */
public record ThreadLane(
    ThreadRef thread, List<Call> issuedCalls, List<Block> blocks, List<Section> sections) {
  public ThreadLane {
    issuedCalls = List.copyOf(issuedCalls);
    blocks = List.copyOf(blocks);
    sections = List.copyOf(sections);
  }
}
