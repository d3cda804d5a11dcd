package dev.reqflow.sample.strategy;

import dev.reqflow.sample.page.PageStrategy;
import java.util.List;

/** Every way the sample app builds its home page, in the order of the design's table. */
public final class Strategies {
  /** The strategy names, in order; {@code hammer --url} loads these from a running server. */
  public static final List<String> NAMES =
      List.of(
          SerialNewClient.NAME,
          SerialSharedClient.NAME,
          WorkerPool.TWO_WORKERS,
          WorkerPool.ENOUGH_WORKERS,
          AsyncJdk.NAME,
          AsyncOkHttp.NAME,
          LateIssue.NAME,
          DependentCalls.NAME,
          PerHostLimit.NAME,
          BlockingCallback.NAME,
          SlowOutlier.NAME);

  private Strategies() {}

  /** A fresh instance of every strategy, calling the backends at {@code backends}. */
  public static List<PageStrategy> create(BackendUrls backends) {
    return List.of(
        new SerialNewClient(backends),
        new SerialSharedClient(backends),
        WorkerPool.twoWorkers(backends),
        WorkerPool.enoughWorkers(backends),
        new AsyncJdk(backends),
        new AsyncOkHttp(backends),
        new LateIssue(backends),
        new DependentCalls(backends),
        new PerHostLimit(backends),
        new BlockingCallback(backends),
        new SlowOutlier(backends));
  }
}
