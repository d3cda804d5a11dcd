package dev.reqflow.agent.instrument.jdkhttp;

import dev.reqflow.agent.bootstrap.Bridge;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;

/**
 * Reports a JDK client request's headers and body to the recorder when it is issued. Only the JDK's
 * own in-memory publishers ({@code BodyPublishers.ofString}, {@code ofByteArray}, {@code noBody})
 * are read, by a subscription of the agent's own that they serve at once from memory: another
 * publisher may be single-use or block, so its body is reported as unreadable, which leaves the
 * request's hash unknown.
 */
public final class JdkRequestContent {
  private static final String PUBLISHERS = "jdk.internal.net.http.RequestPublishers$";

  private JdkRequestContent() {}

  /** Reports {@code request} for the call record {@code call}. */
  public static void report(Object call, HttpRequest request) {
    StringBuilder lines = new StringBuilder();
    for (Map.Entry<String, List<String>> h : request.headers().map().entrySet()) {
      for (String v : h.getValue()) {
        lines.append(h.getKey()).append(": ").append(v).append('\n');
      }
    }
    byte[] headers = lines.toString().getBytes(StandardCharsets.UTF_8);
    Bridge.callContent(call, Bridge.REQUEST_HEADERS, headers, 0, headers.length);
    HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElse(null);
    if (publisher == null || publisher.contentLength() == 0) {
      return;
    }
    byte[] body = inMemory(publisher) ? read(publisher) : null;
    Bridge.callContent(call, Bridge.REQUEST_BODY, body, 0, body == null ? 0 : body.length);
  }

  private static boolean inMemory(HttpRequest.BodyPublisher p) {
    String name = p.getClass().getName();
    return p.contentLength() > 0
        && p.contentLength() <= 64 * 1024
        && (name.equals(PUBLISHERS + "ByteArrayPublisher")
            || name.equals(PUBLISHERS + "StringPublisher"));
  }

  /** The body, or null when the publisher did not deliver all of it during the subscription. */
  private static byte[] read(HttpRequest.BodyPublisher p) {
    Collector c = new Collector();
    p.subscribe(c);
    return c.done ? c.out.toByteArray() : null;
  }

  private static final class Collector implements Flow.Subscriber<ByteBuffer> {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean done;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer item) {
      ByteBuffer b = item.duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      out.write(bytes, 0, bytes.length);
    }

    @Override
    public void onError(Throwable t) {
      done = false;
    }

    @Override
    public void onComplete() {
      done = true;
    }
  }
}
