package dev.reqflow.agent.content;

import java.util.Arrays;

/**
 * What the agent learns from one call's request and response bodies, keeping keyed hashes only: the
 * hash of the whole request (method, URL, body), for telling the same request made twice; the
 * earlier calls of its flow whose responses returned a value this request carries (data
 * dependencies); and the tokens its own response returns, for the calls after it.
 *
 * <p>Clients report content through {@code Bridge.callContent(call, part, bytes, offset, length)}
 * with one of the parts below; a client that does not is only missing these two facts. Bounded:
 * {@link #MAX_BODY_BYTES} of a request body (a larger one leaves the request hash unknown) and of a
 * response body are looked at. Thread-safe: the request is reported on the issuing thread, the
 * response on whichever thread reads it.
 */
public final class CallContent {
  /** Header lines of the request, {@code name: value} one a line, UTF-8. */
  public static final int REQUEST_HEADERS = 1;

  /**
   * The request body, whole or in pieces; {@code null} bytes when the client has a body it cannot
   * show (streamed, too large): the request hash is then unknown.
   */
  public static final int REQUEST_BODY = 2;

  /** The response body as the application reads it, in pieces. */
  public static final int RESPONSE_BODY = 3;

  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Told of each earlier call this one depends on, once. */
  public interface DataSources {
    void dependsOn(Object call);
  }

  /** Calls one request may depend on, at most: the span link limit. */
  static final int MAX_SOURCES = 128;

  private static final Object[] NONE = new Object[0];

  private final FlowTokens flow;
  private final Object call;
  private final DataSources sources;
  private final KeyedHash hash;
  private final String method;
  private final String url;

  /** The request hash so far; made with the first body bytes or when the hash is asked for. */
  private KeyedHash.State request;

  /** For tokens of the request's headers and body and of the response; made on first use. */
  private KeyedHash.State token;

  private boolean requestKnown = true;
  private int requestBodyBytes;
  private JsonTokens requestJson;
  private Long requestHash;
  private Object[] linked = NONE;
  private final RequestSink requestTokens = new RequestSink();
  private JsonTokens response;
  private Gunzip gunzip;
  private int responseBytes;
  private boolean responseDone;

  /**
   * Starts on a call being issued: its URL is looked at at once. {@code flow} is shared by the
   * calls of one flow; {@code call} is what links name (the recorder's record of the call).
   */
  public CallContent(
      KeyedHash hash,
      FlowTokens flow,
      Object call,
      String method,
      String url,
      DataSources sources) {
    this.flow = flow;
    this.call = call;
    this.sources = sources;
    this.hash = hash;
    this.method = method;
    this.url = url;
    // The URL is hashed here and now, on this thread: with its scratch state, not one per call.
    requestTokens.state = hash.scratch();
    try {
      RequestTokens.url(url, requestTokens);
    } finally {
      requestTokens.state = null;
    }
  }

  /** The inbound request of a flow: its values came from outside, not from a response. */
  public static void inbound(KeyedHash hash, FlowTokens flow, String pathAndQuery) {
    KeyedHash.State s = hash.scratch();
    RequestTokens.url(
        pathAndQuery,
        new TokenSink() {
          @Override
          public void token(byte[] b, int off, int len) {
            flow.seen(s.reset().update(b, off, len).finish());
          }

          @Override
          public void ascii(String text, int from, int to) {
            flow.seen(s.reset().updateAscii(text, from, to).finish());
          }
        });
  }

  /**
   * Reports content of the call; returns whether more of that part is wanted (a client may stop
   * copying bytes when it is not).
   */
  public synchronized boolean content(int part, byte[] b, int off, int len) {
    switch (part) {
      case REQUEST_HEADERS:
        if (b != null) {
          RequestTokens.headers(b, off, len, requestTokens);
        }
        return false;
      case REQUEST_BODY:
        return requestBody(b, off, len);
      case RESPONSE_BODY:
        return responseBody(b, off, len);
      default:
        return false;
    }
  }

  private boolean requestBody(byte[] b, int off, int len) {
    if (requestHash != null || !requestKnown) {
      return false;
    }
    if (b == null || requestBodyBytes + len > MAX_BODY_BYTES) {
      requestKnown = false;
      return false;
    }
    if (requestBodyBytes == 0) {
      requestState().update((byte) '\n');
    }
    request.update(b, off, len);
    requestBodyBytes += len;
    if (requestJson == null) {
      requestJson = new JsonTokens(requestTokens);
    }
    if (requestJson.wanted()) {
      requestJson.feed(b, off, len);
    }
    if (!requestJson.wanted()) {
      RequestTokens.form(b, off, len, requestTokens);
    }
    return true;
  }

  private boolean responseBody(byte[] b, int off, int len) {
    if (responseDone || b == null || len <= 0) {
      return !responseDone;
    }
    if (response == null) {
      response = new JsonTokens(this::responseToken);
      if (Gunzip.starts(b, off, len)) {
        gunzip = new Gunzip();
      }
    }
    int budget = MAX_BODY_BYTES - responseBytes;
    if (gunzip != null) {
      responseBytes += gunzip.feed(b, off, len, budget, response::feed);
    } else {
      int n = Math.min(len, budget);
      response.feed(b, off, n);
      responseBytes += n;
    }
    if (responseBytes >= MAX_BODY_BYTES || !response.wanted()) {
      endResponse();
    }
    return !responseDone;
  }

  /**
   * The call ended. Its response may still be passing: a client may end the call from inside the
   * read that delivers the response's bytes (OkHttp), so the response is looked at until its
   * document closes or {@link #MAX_BODY_BYTES} were seen. A response never read costs nothing: the
   * scanner is made with its first bytes. Returns, in one look (one lock), what the recorder asks
   * next: {@link #RESPONSE_DONE}, {@link #HASH_KNOWN}, {@link #HASH_OF_METHOD_AND_URL}.
   */
  public synchronized int finish() {
    if (requestJson != null) {
      requestJson.end();
    }
    return (responseDone ? RESPONSE_DONE : 0)
        | (requestKnown ? HASH_KNOWN : 0)
        | (requestKnown && request == null ? HASH_OF_METHOD_AND_URL : 0);
  }

  /** In what {@link #finish} returns: as {@link #responseDone()} then. */
  public static final int RESPONSE_DONE = 1;

  /** In what {@link #finish} returns: as {@link #requestHashKnown()}. */
  public static final int HASH_KNOWN = 2;

  /** In what {@link #finish} returns: as {@link #requestHashOfMethodAndUrl()}. */
  public static final int HASH_OF_METHOD_AND_URL = 4;

  /** True once the response has been looked at as far as it will be. */
  public synchronized boolean responseDone() {
    return responseDone;
  }

  private void endResponse() {
    if (responseDone) {
      return;
    }
    responseDone = true;
    if (response != null) {
      response.end();
    }
    if (gunzip != null) {
      gunzip.end();
    }
  }

  /** True when the whole request was seen, so that {@link #requestHash()} identifies it. */
  public synchronized boolean requestHashKnown() {
    return requestKnown;
  }

  /** The keyed hash of method, URL and body; fixed the first time it is asked for. */
  public synchronized long requestHash() {
    if (requestHash == null) {
      requestHash = requestState().finish();
    }
    return requestHash;
  }

  /**
   * True when the request hash is, and will stay, the hash of the method and URL alone ({@link
   * #requestHash(KeyedHash, String, String)}): no body went into it. It can then be computed where
   * it is needed, off the application's thread.
   */
  public synchronized boolean requestHashOfMethodAndUrl() {
    return requestKnown && request == null;
  }

  /** The method this content's request hash covers. */
  public String method() {
    return method;
  }

  /** The URL this content's request hash covers. */
  public String url() {
    return url;
  }

  /** The request hash of a request without a body: as {@link #requestHash()} gives it. */
  public static long requestHash(KeyedHash hash, String method, String url) {
    return start(hash, method, url).finish();
  }

  private KeyedHash.State requestState() {
    if (request == null) {
      request = start(hash, method, url);
    }
    return request;
  }

  private static KeyedHash.State start(KeyedHash hash, String method, String url) {
    return hash.start()
        .update(method == null ? "" : method)
        .update("\n")
        .update(url == null ? "" : url);
  }

  /** The request's tokens, hashed as they come; ranges of its URL without a copy. */
  private final class RequestSink implements TokenSink {
    /** The state to hash with while the URL is looked at (the thread's scratch); else null. */
    KeyedHash.State state;

    @Override
    public void token(byte[] b, int off, int len) {
      requestToken(hashState().reset().update(b, off, len).finish());
    }

    @Override
    public void ascii(String s, int from, int to) {
      requestToken(hashState().reset().updateAscii(s, from, to).finish());
    }

    private KeyedHash.State hashState() {
      return state != null ? state : tokenState();
    }
  }

  private KeyedHash.State tokenState() {
    if (token == null) {
      token = hash.start();
    }
    return token;
  }

  private void requestToken(long h) {
    Object source = flow.carried(h);
    if (source != null && source != call && linked.length < MAX_SOURCES && !isLinked(source)) {
      Object[] more = Arrays.copyOf(linked, linked.length + 1);
      more[linked.length] = source;
      linked = more;
      sources.dependsOn(source);
    }
  }

  private boolean isLinked(Object source) {
    for (Object o : linked) {
      if (o == source) {
        return true;
      }
    }
    return false;
  }

  private void responseToken(byte[] b, int off, int len) {
    flow.returned(tokenState().reset().update(b, off, len).finish(), call);
  }
}
