/**
 * The analysis, pure functions of flows: {@link dev.reqflow.analysis.Analysis#criticalPath} (the
 * render thread's running and blocked segments, each wait with the call that released it and that
 * call's phases), {@link dev.reqflow.analysis.Analysis#suggest} (stateless rules, each suggestion
 * with its evidence, change and the saving the what-if replay predicts, best first) and {@link
 * dev.reqflow.analysis.Analysis#analyse} (many flows: suggestions with the flows as each other's
 * history, and a summary per endpoint).
 */
package dev.reqflow.analysis;
