package dev.reqflow.bench.jmh;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Client;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;

/**
 * A thread inside a flow that has issued an asynchronous JDK client call (reported through the
 * bridge as {@code sendAsync}'s advice reports it) and created a task that no worker has run yet;
 * both stay pending until {@link #stop}.
 */
final class BusyFlow {

  private final CountDownLatch ready = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread thread = new Thread(this::hold, "busy-flow");
  private volatile RuntimeException failure;

  private BusyFlow() {}

  static BusyFlow start() throws InterruptedException {
    BusyFlow b = new BusyFlow();
    b.thread.setDaemon(true);
    b.thread.start();
    b.ready.await();
    if (b.failure != null) {
      throw b.failure;
    }
    return b;
  }

  private void hold() {
    Object flow = null;
    CompletableFuture<String> response = new CompletableFuture<>();
    try {
      flow = AgentFlow.enter();
      Object call =
          Bridge.callEnter(
              null,
              Client.JDK_HTTP_CLIENT,
              false,
              "GET",
              "http://127.0.0.1:8080/recommendations",
              "127.0.0.1",
              8080);
      if (call == null) {
        throw new IllegalStateException("the agent recorded no call inside the busy flow");
      }
      Bridge.callIssued(call, response, null);
      FutureTask<String> queued = new FutureTask<>(() -> "queued");
      ready.countDown();
      done.await();
      queued.run();
      response.complete("response");
    } catch (RuntimeException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ready.countDown();
      if (flow != null) {
        AgentFlow.exit(flow);
      }
    }
  }

  void stop() throws InterruptedException {
    done.countDown();
    thread.join();
  }
}
