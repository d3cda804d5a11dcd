package dev.reqflow.agent.instrument.webclient;

import dev.reqflow.agent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Spring's {@code WebClient} builds a request in the application's code ({@code retrieve()}, {@code
 * exchangeToMono()}) but issues it when subscribed, often from framework code only (WebFlux
 * subscribing the handler's result): its {@code DefaultClientRequestBuilder} remembers the
 * application's line, and the call made from it points there.
 */
final class WebClientAdvice {
  private WebClientAdvice() {}

  /** The builder is created in the application's {@code retrieve()}/{@code exchange*()} call. */
  static final class Created {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object builder) {
      Bridge.siteMark(builder);
    }
  }

  /** {@code build()}, at subscribe: the call issued next on this thread is this request's. */
  static final class Build {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object builder) {
      Bridge.siteNext(builder);
    }
  }
}
