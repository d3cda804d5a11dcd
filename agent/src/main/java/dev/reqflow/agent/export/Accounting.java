package dev.reqflow.agent.export;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one span processor: counts every span recorded and hands it to each sink. Closed at exit, so
 * that the exit line adds up: a span that ends after that goes nowhere and is not counted.
 */
final class Accounting implements SpanProcessor {
  private static final long CLOSE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final List<Sink> sinks;
  private final AtomicLong recorded = new AtomicLong();

  /** Threads inside {@link #onEnd} now: striped, so that ending spans do not contend on it. */
  private final LongAdder ending = new LongAdder();

  private volatile boolean closed;

  Accounting(List<Sink> sinks) {
    this.sinks = sinks;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    // The batch processors skip unsampled spans: counting one would count it queued for ever.
    if (!span.getSpanContext().isSampled()) {
      return;
    }
    ending.increment();
    try {
      if (closed) {
        return;
      }
      recorded.incrementAndGet();
      for (int i = 0; i < sinks.size(); i++) {
        sinks.get(i).offer(span);
      }
    } finally {
      ending.decrement();
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  /** Stops counting and handing on; returns once no thread is half-way through (or soon after). */
  void closeAccounts() {
    closed = true;
    long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
    while (ending.sum() != 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  long recorded() {
    return recorded.get();
  }
}
