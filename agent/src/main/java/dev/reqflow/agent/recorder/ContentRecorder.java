package dev.reqflow.agent.recorder;

import dev.reqflow.agent.content.CallContent;
import dev.reqflow.agent.content.FlowTokens;
import dev.reqflow.agent.content.KeyedHash;
import dev.reqflow.contract.TraceContract.Attr;
import io.opentelemetry.api.trace.Span;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What calls' contents tell, recorded on their spans: the keyed hash of each request ({@link
 * Attr#REQUEST_HASH}) and {@code data} links to the earlier calls whose responses returned a value
 * the request carries. The values themselves never leave {@link CallContent}, which keeps keyed
 * hashes only; a client reports content through {@code Bridge.callContent}.
 */
final class ContentRecorder {
  private final KeyedHash hash = new KeyedHash();
  private final SpanWriter spans;
  private final AtomicLong flowsCut = new AtomicLong();

  ContentRecorder(SpanWriter spans) {
    this.spans = spans;
  }

  /** A flow started on an inbound request: the values of its URL came from outside. */
  void inbound(FlowRecord flow, String pathAndQuery) {
    FlowTokens tokens = flow.tokens;
    if (pathAndQuery != null && tokens != null) {
      CallContent.inbound(hash, tokens, pathAndQuery);
    }
  }

  /**
   * A call was issued, or its client told what it is after it was issued: its URL is compared with
   * what earlier responses of its flow returned. A call whose URL is not known yet gets nothing: a
   * hash of its method alone would make every such call "the same request".
   */
  void begin(CallRecord rec, String method, String url) {
    FlowTokens tokens = rec.flow.tokens;
    if (tokens != null && url != null && rec.content == null) {
      rec.content = new CallContent(hash, tokens, rec, method, url, rec);
    }
  }

  boolean content(CallRecord rec, int part, byte[] b, int off, int len) {
    CallContent c = rec.content;
    if (c == null) {
      return false;
    }
    boolean more = c.content(part, b, off, len);
    if (rec.ended.get() && c.responseDone()) {
      rec.content = null;
    }
    return more;
  }

  /**
   * The call ended: its request hash goes on its span. Its content is let go once its response has
   * been looked at, which may be just after the end (see {@link CallContent#finish}).
   */
  void finish(CallRecord rec) {
    CallContent c = rec.content;
    if (c == null) {
      return;
    }
    int state = c.finish();
    if ((state & CallContent.RESPONSE_DONE) != 0) {
      rec.content = null;
    }
    if ((state & CallContent.HASH_KNOWN) == 0) {
      return;
    }
    Span span = rec.span;
    if (span instanceof CallSpan && (state & CallContent.HASH_OF_METHOD_AND_URL) != 0) {
      // Only exported: hashed on the export thread, from the method and URL it covers.
      ((CallSpan) span).requestHash(hash, c.method(), c.url());
    } else {
      span.setAttribute(Keys.REQUEST_HASH, hex16(c.requestHash()));
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * {@code v} as 16 lower-case hex digits, as {@code String.format("%016x", v)} writes it: without
   * the formatter, which took a sixth of a recorded call's time on the application's thread.
   */
  static String hex16(long v) {
    char[] c = new char[16];
    for (int i = 15; i >= 0; i--) {
      c[i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
    return new String(c);
  }

  /** A flow ended: what it saw is let go; counts flows whose tables were full. */
  void end(FlowRecord flow) {
    FlowTokens tokens = flow.tokens;
    flow.tokens = null;
    if (tokens != null) {
      if (tokens.cut()) {
        flowsCut.incrementAndGet();
      }
      tokens.close();
    }
  }

  /** Flows that saw more tokens than {@link FlowTokens#MAX_TOKENS}: data links may be missing. */
  long flowsCut() {
    return flowsCut.get();
  }
}
