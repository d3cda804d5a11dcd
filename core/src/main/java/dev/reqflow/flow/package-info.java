/**
 * The flow model: one request to a service ({@link dev.reqflow.flow.Flow}), its outbound calls
 * ({@link dev.reqflow.flow.Call} with {@link dev.reqflow.flow.Phase}s), the waits of its threads
 * ({@link dev.reqflow.flow.Block}) and its sections. Immutable values, times as epoch nanoseconds
 * in {@code long}s, lists sorted by start time: a viewer draws them as they are, and the analysis
 * is pure functions of them. Nothing here is null unless documented; unknown strings are {@code
 * ""}.
 */
package dev.reqflow.flow;
