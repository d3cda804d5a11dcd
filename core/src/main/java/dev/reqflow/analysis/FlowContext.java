package dev.reqflow.analysis;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Flow;
import dev.reqflow.whatif.Change;
import dev.reqflow.whatif.Prediction;
import dev.reqflow.whatif.WhatIf;
import java.util.List;

/** What the rules see of one flow: the flow, its critical path, the replay, call statistics. */
final class FlowContext {
  final Flow flow;
  final CriticalPath path;
  final CallStats stats;
  private WhatIf whatIf;

  FlowContext(Flow flow, CallStats stats) {
    this.flow = flow;
    this.path = CriticalPaths.compute(flow);
    this.stats = stats;
  }

  /**
   * True when the render thread is one that others depend on and it waited (a WebFlux page on a
   * Reactor Netty event loop blocking in {@code join()}): its waits are the blocking-wait rule's
   * business, which frees the thread and issues what it held back, rather than the issue-order
   * rules', whose fix would leave the thread blocked.
   */
  boolean renderWaitsOnSharedThread() {
    for (Block b : flow.renderBlocks()) {
      if (b.thread().role().isShared()) {
        return true;
      }
    }
    return false;
  }

  Prediction predict(List<Change> changes) {
    return whatIf().predict(changes);
  }

  /**
   * The part of the call's queue that the flow's own calls do not explain: it waited behind other
   * flows' work in a pool they share (see {@link WhatIf#externalQueueNanos}).
   */
  long externalQueueNanos(dev.reqflow.flow.Call c) {
    int i = flow.callIndex(c.spanId());
    return i < 0 ? 0 : whatIf().externalQueueNanos(i);
  }

  private WhatIf whatIf() {
    if (whatIf == null) {
      whatIf = WhatIf.of(flow);
    }
    return whatIf;
  }
}
