package dev.reqflow.bench.jmh;

/**
 * {@link JdkHooks} on a thread outside any flow, nothing recorded anywhere: what every wait,
 * completion and hand-off of the application pays once the agent is loaded. The budget: a {@code
 * join} adds at most 50 ns.
 */
public class OutsideFlow extends JdkHooks {}
