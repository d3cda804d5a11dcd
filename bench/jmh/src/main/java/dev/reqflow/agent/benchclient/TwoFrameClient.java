package dev.reqflow.agent.benchclient;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.Client;

/**
 * Two frames between the application and the agent's hook, as the JDK client puts two there ({@code
 * HttpClientFacade.send} calls {@code HttpClientImpl.send}, whose advice calls the bridge). In a
 * package the call-site walk skips as a library's ({@code dev.reqflow.agent.}), as it skips the
 * JDK's, so that the application's frame is found as deep as it is under a real client: how many
 * frames the walk must fill is most of what a recorded call costs.
 */
public final class TwoFrameClient {
  private TwoFrameClient() {}

  /** As {@code HttpClientFacade.send}. */
  public static Object send(String url) {
    return sendImpl(url);
  }

  /** As {@code HttpClientImpl.send} with the agent's advice. */
  private static Object sendImpl(String url) {
    return Bridge.callEnter(null, Client.JDK_HTTP_CLIENT, true, "GET", url, "127.0.0.1", 8080);
  }

  /**
   * As {@code HttpClient.send} with the agent's advice around it: the call, and the thread's wait
   * on it, recorded as a block span when {@code block.threshold=0}; the call issued at the end.
   */
  public static Object sendAndWait(String url) {
    return sendAndWaitImpl(url);
  }

  private static Object sendAndWaitImpl(String url) {
    Object call =
        Bridge.callEnter(null, Client.JDK_HTTP_CLIENT, true, "GET", url, "127.0.0.1", 8080);
    long start = Bridge.blockEnter(call);
    Bridge.blockExit(start, call, BlockKind.HTTP_CLIENT_SEND);
    Bridge.callIssued(call, null, null);
    return call;
  }
}
