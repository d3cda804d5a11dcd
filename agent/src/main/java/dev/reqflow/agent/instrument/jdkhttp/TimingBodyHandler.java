package dev.reqflow.agent.instrument.jdkhttp;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Event;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Wraps the application's body handler: the JDK client calls it when the response headers arrive
 * (the first byte we can see) and its subscriber completes when the body is done, or fails. The
 * subscriber the application's handler made is also what it reads a stream body from ({@code
 * BodyHandlers.ofInputStream}): it is tied to the call, so that its reads and its close are the
 * call's.
 */
public final class TimingBodyHandler<T> implements HttpResponse.BodyHandler<T> {

  private final HttpResponse.BodyHandler<T> delegate;
  private final Object call;

  private TimingBodyHandler(HttpResponse.BodyHandler<T> delegate, Object call) {
    this.delegate = delegate;
    this.call = call;
  }

  /** Decorates {@code handler} for the call record {@code call}; other objects pass through. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object decorate(Object handler, Object call) {
    if (handler instanceof HttpResponse.BodyHandler && !(handler instanceof TimingBodyHandler)) {
      return new TimingBodyHandler((HttpResponse.BodyHandler) handler, call);
    }
    return handler;
  }

  @Override
  public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
    Bridge.callEvent(call, Event.RESPONSE_FIRST_BYTE);
    Bridge.callStatus(call, info.statusCode());
    HttpResponse.BodySubscriber<T> subscriber = delegate.apply(info);
    Bridge.callBody(call, subscriber);
    return new TimingSubscriber<>(subscriber, call);
  }

  private static final class TimingSubscriber<T> implements HttpResponse.BodySubscriber<T> {
    private final HttpResponse.BodySubscriber<T> delegate;
    private final Object call;

    TimingSubscriber(HttpResponse.BodySubscriber<T> delegate, Object call) {
      this.delegate = delegate;
      this.call = call;
    }

    @Override
    public CompletionStage<T> getBody() {
      return delegate.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      delegate.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      for (ByteBuffer b : item) {
        if (!Bridge.callContent(call, Bridge.RESPONSE_BODY, null, 0, 0)) {
          break;
        }
        // A view of our own: the application's subscriber reads the buffer as if untouched.
        ByteBuffer view = b.duplicate();
        byte[] bytes = new byte[Math.min(view.remaining(), 16 * 1024)];
        view.get(bytes);
        Bridge.callContent(call, Bridge.RESPONSE_BODY, bytes, 0, bytes.length);
      }
      delegate.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      Bridge.callEnd(call, throwable);
      delegate.onError(throwable);
    }

    @Override
    public void onComplete() {
      Bridge.callEvent(call, Event.RESPONSE_BODY_DONE);
      delegate.onComplete();
    }
  }
}
