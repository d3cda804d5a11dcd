package dev.reqflow.bench.jmh;

/**
 * {@link SocketHooks} on a thread outside any flow: what a socket read of the application pays once
 * the agent is loaded.
 */
public class SocketOutsideFlow extends SocketHooks {}
