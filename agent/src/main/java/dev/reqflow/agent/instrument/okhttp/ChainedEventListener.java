package dev.reqflow.agent.instrument.okhttp;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Event;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.List;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.Handshake;
import okhttp3.HttpUrl;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * Sits in front of a call's own {@link EventListener}: records the phases of recorded calls and
 * passes every event on, so the application's listener keeps working.
 *
 * <p>Never loaded under this name: {@link OkHttpListeners} defines a renamed copy in OkHttp's own
 * package and class loader, which may be one the agent cannot see (a fat jar's nested jars, a
 * webapp's {@code WEB-INF/lib}). So it references only OkHttp (and Okio, which OkHttp is made of),
 * the JDK and the bridge on the bootstrap class path (the contract's names are compile-time
 * constants); {@code OkHttpListenersTest} checks that.
 */
public final class ChainedEventListener extends EventListener {

  /** Request bodies larger than this are not read for the request's hash. */
  private static final long MAX_BODY = 64 * 1024;

  private final EventListener delegate;
  private boolean requestReported;

  public ChainedEventListener(EventListener delegate) {
    this.delegate = delegate;
  }

  private static void event(Call call, String name) {
    Object rec = Bridge.callFor(call);
    if (rec != null) {
      Bridge.callEvent(rec, name);
    }
  }

  @Override
  public void callStart(Call call) {
    delegate.callStart(call);
  }

  @Override
  public void proxySelectStart(Call call, HttpUrl url) {
    delegate.proxySelectStart(call, url);
  }

  @Override
  public void proxySelectEnd(Call call, HttpUrl url, List<Proxy> proxies) {
    delegate.proxySelectEnd(call, url, proxies);
  }

  @Override
  public void dnsStart(Call call, String domainName) {
    event(call, Event.DNS_START);
    delegate.dnsStart(call, domainName);
  }

  @Override
  public void dnsEnd(Call call, String domainName, List<InetAddress> inetAddressList) {
    event(call, Event.DNS_END);
    delegate.dnsEnd(call, domainName, inetAddressList);
  }

  @Override
  public void connectStart(Call call, InetSocketAddress inetSocketAddress, Proxy proxy) {
    event(call, Event.CONNECT_START);
    delegate.connectStart(call, inetSocketAddress, proxy);
  }

  @Override
  public void secureConnectStart(Call call) {
    event(call, Event.TLS_START);
    delegate.secureConnectStart(call);
  }

  @Override
  public void secureConnectEnd(Call call, Handshake handshake) {
    event(call, Event.TLS_END);
    delegate.secureConnectEnd(call, handshake);
  }

  @Override
  public void connectEnd(
      Call call, InetSocketAddress inetSocketAddress, Proxy proxy, Protocol protocol) {
    event(call, Event.CONNECT_END);
    delegate.connectEnd(call, inetSocketAddress, proxy, protocol);
  }

  @Override
  public void connectFailed(
      Call call,
      InetSocketAddress inetSocketAddress,
      Proxy proxy,
      Protocol protocol,
      IOException ioe) {
    delegate.connectFailed(call, inetSocketAddress, proxy, protocol, ioe);
  }

  @Override
  public void connectionAcquired(Call call, Connection connection) {
    event(call, Event.CONNECTION_ACQUIRED);
    delegate.connectionAcquired(call, connection);
  }

  @Override
  public void connectionReleased(Call call, Connection connection) {
    delegate.connectionReleased(call, connection);
  }

  @Override
  public void requestHeadersStart(Call call) {
    delegate.requestHeadersStart(call);
  }

  @Override
  public void requestHeadersEnd(Call call, Request request) {
    if (!requestReported) {
      // The first attempt's request, as the application built it (and its interceptors).
      requestReported = true;
      Object rec = Bridge.callFor(call);
      if (rec != null) {
        reportContent(rec, request);
      }
    }
    if (request.body() == null) {
      event(call, Event.REQUEST_SENT);
    }
    delegate.requestHeadersEnd(call, request);
  }

  /** Headers and body of the request, for its keyed hash and data dependencies. */
  private static void reportContent(Object rec, Request request) {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < request.headers().size(); i++) {
      lines.append(request.headers().name(i)).append(": ").append(request.headers().value(i));
      lines.append('\n');
    }
    byte[] headers = lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Bridge.callContent(rec, Bridge.REQUEST_HEADERS, headers, 0, headers.length);
    RequestBody body = request.body();
    if (body == null) {
      return;
    }
    byte[] bytes = null;
    try {
      long length = body.contentLength();
      // One-shot and duplex bodies can be written once only: the application's write.
      if (!body.isOneShot() && !body.isDuplex() && length >= 0 && length <= MAX_BODY) {
        Buffer buffer = new Buffer();
        body.writeTo(buffer);
        bytes = buffer.readByteArray();
      }
    } catch (IOException | RuntimeException e) {
      bytes = null;
    }
    Bridge.callContent(rec, Bridge.REQUEST_BODY, bytes, 0, bytes == null ? 0 : bytes.length);
  }

  @Override
  public void requestBodyStart(Call call) {
    delegate.requestBodyStart(call);
  }

  @Override
  public void requestBodyEnd(Call call, long byteCount) {
    event(call, Event.REQUEST_SENT);
    delegate.requestBodyEnd(call, byteCount);
  }

  @Override
  public void requestFailed(Call call, IOException ioe) {
    delegate.requestFailed(call, ioe);
  }

  @Override
  public void responseHeadersStart(Call call) {
    event(call, Event.RESPONSE_FIRST_BYTE);
    delegate.responseHeadersStart(call);
  }

  @Override
  public void responseHeadersEnd(Call call, Response response) {
    Object rec = Bridge.callFor(call);
    if (rec != null) {
      Bridge.callStatus(rec, response.code());
    }
    delegate.responseHeadersEnd(call, response);
  }

  @Override
  public void responseBodyStart(Call call) {
    delegate.responseBodyStart(call);
  }

  @Override
  public void responseBodyEnd(Call call, long byteCount) {
    event(call, Event.RESPONSE_BODY_DONE);
    delegate.responseBodyEnd(call, byteCount);
  }

  @Override
  public void responseFailed(Call call, IOException ioe) {
    delegate.responseFailed(call, ioe);
  }

  @Override
  public void callEnd(Call call) {
    Object rec = Bridge.callFor(call);
    if (rec != null) {
      Bridge.callEnd(rec, null);
    }
    delegate.callEnd(call);
  }

  @Override
  public void callFailed(Call call, IOException ioe) {
    Object rec = Bridge.callFor(call);
    if (rec != null) {
      Bridge.callEnd(rec, ioe);
    }
    delegate.callFailed(call, ioe);
  }

  @Override
  public void canceled(Call call) {
    delegate.canceled(call);
  }

  @Override
  public void satisfactionFailure(Call call, Response response) {
    delegate.satisfactionFailure(call, response);
  }

  @Override
  public void cacheHit(Call call, Response response) {
    delegate.cacheHit(call, response);
  }

  @Override
  public void cacheMiss(Call call) {
    delegate.cacheMiss(call);
  }

  @Override
  public void cacheConditionalHit(Call call, Response cachedResponse) {
    delegate.cacheConditionalHit(call, cachedResponse);
  }
}
