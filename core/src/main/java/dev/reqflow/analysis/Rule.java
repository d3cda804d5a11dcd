package dev.reqflow.analysis;

import java.util.List;

/** A stateless check of one flow that may suggest changes (the shape of JMC's rules). */
interface Rule {
  List<Suggestion> apply(FlowContext ctx);
}
