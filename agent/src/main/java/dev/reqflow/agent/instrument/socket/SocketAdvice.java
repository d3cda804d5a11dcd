package dev.reqflow.agent.instrument.socket;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.BlockKind;
import net.bytebuddy.asm.Advice;

/** Advice woven into the JDK's socket implementation ({@code java.base}). */
final class SocketAdvice {
  private SocketAdvice() {}

  /** A read that blocks until data comes (socket streams, the channel's socket adaptor). */
  static final class Read {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return Bridge.socketEnter(null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start) {
      Bridge.socketExit(start, BlockKind.SOCKET_READ);
    }
  }

  /** A connect that blocks until the connection is made. */
  static final class Connect {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return Bridge.socketEnter(null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start) {
      Bridge.socketExit(start, BlockKind.SOCKET_CONNECT);
    }
  }

  /** A channel read: counted only when the channel is in blocking mode. */
  static final class ChannelRead {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object channel) {
      return Bridge.socketEnter(channel);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start) {
      Bridge.socketExit(start, BlockKind.SOCKET_READ);
    }
  }

  /** A channel connect: counted only when the channel is in blocking mode. */
  static final class ChannelConnect {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object channel) {
      return Bridge.socketEnter(channel);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start) {
      Bridge.socketExit(start, BlockKind.SOCKET_CONNECT);
    }
  }
}
