package dev.reqflow.agent.content;

/** Receives tokens as byte ranges; the bytes are only valid during the call. */
@FunctionalInterface
public interface TokenSink {
  void token(byte[] b, int off, int len);
}
