package dev.reqflow.bench.overhead;

import java.util.List;

/** The pages the load asks for, in turn: each connection cycles through them. */
final class Pages {
  private final byte[][] requests;

  Pages(int port, List<String> paths) {
    this.requests = new byte[paths.size()][];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = HttpConnection.request(port, paths.get(i));
    }
  }

  /** The request of the {@code n}-th page a connection sends. */
  byte[] request(long n) {
    return requests[(int) (n % requests.length)];
  }
}
