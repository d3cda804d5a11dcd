package dev.reqflow.analysis;

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

  Prediction predict(List<Change> changes) {
    if (whatIf == null) {
      whatIf = WhatIf.of(flow);
    }
    return whatIf.predict(changes);
  }
}
