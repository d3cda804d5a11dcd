package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.Client;

/**
 * The kind of a wait in progress, as a snapshot names it: a thread in a wait does not say which
 * method it waits in until the wait ends, so the kind is read from what it waits on (a call: its
 * client's blocking method) or from its stack, sampled by the snapshot.
 */
final class WaitKinds {
  /** Blocking methods the agent records waits in, by class and method, with their kinds. */
  private static final String[][] METHODS = {
    {"java.util.concurrent.FutureTask", "get", BlockKind.FUTURE_GET},
    {"java.util.concurrent.CompletableFuture", "get", BlockKind.COMPLETABLE_GET},
    {"java.util.concurrent.CompletableFuture", "join", BlockKind.COMPLETABLE_JOIN},
    {"jdk.internal.net.http.HttpClientImpl", "send", BlockKind.HTTP_CLIENT_SEND},
    {"okhttp3.internal.connection.RealCall", "execute", BlockKind.OKHTTP_EXECUTE},
    {"reactor.core.publisher.Mono", "block", BlockKind.MONO_BLOCK},
    {"reactor.core.publisher.Mono", "blockOptional", BlockKind.MONO_BLOCK},
    {"reactor.core.publisher.Flux", "blockFirst", BlockKind.FLUX_BLOCK_FIRST},
    {"reactor.core.publisher.Flux", "blockLast", BlockKind.FLUX_BLOCK_LAST},
    {"org.apache.hc.core5.concurrent.BasicFuture", "get", BlockKind.FUTURE_GET},
  };

  /** What a wait whose kind neither its object nor its stack tells is called. */
  static final String UNKNOWN = "wait";

  private WaitKinds() {}

  /**
   * The kind of the wait on {@code on}, with the waiting thread's {@code stack} (innermost frame
   * first): a call's by its client, else the outermost recorded blocking method on the stack (the
   * one the agent's wait is in; the others are inside it).
   */
  static String of(Object on, StackTraceElement[] stack) {
    if (on instanceof CallRecord) {
      String client = ((CallRecord) on).client;
      if (Client.OKHTTP.equals(client)) {
        return BlockKind.OKHTTP_EXECUTE;
      }
      if (Client.JDK_HTTP_CLIENT.equals(client)) {
        return BlockKind.HTTP_CLIENT_SEND;
      }
      if (Client.HTTP_URL_CONNECTION.equals(client)) {
        return BlockKind.HTTP_URL_CONNECTION;
      }
      if (client != null && client.startsWith("apache-")) {
        return BlockKind.APACHE_EXECUTE;
      }
    }
    String kind = UNKNOWN;
    for (StackTraceElement e : stack) {
      for (String[] m : METHODS) {
        if (m[1].equals(e.getMethodName()) && m[0].equals(e.getClassName())) {
          kind = m[2];
        }
      }
    }
    return kind;
  }
}
