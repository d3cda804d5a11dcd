package dev.reqflow.viewer.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.CallMode;
import dev.reqflow.flow.CodeLocation;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Pool;
import dev.reqflow.flow.ThreadRef;
import dev.reqflow.flow.ThreadRole;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {
  private static final long MS = 1_000_000L;

  private static Call call(String id, String url, String host, int port, ThreadRef t) {
    return new Call(
        id,
        "GET",
        url,
        host,
        port,
        200,
        "",
        "okhttp",
        CallMode.ASYNC,
        0,
        10 * MS,
        List.of(),
        ConnectionReuse.UNKNOWN,
        Pool.NONE,
        CodeLocation.UNKNOWN,
        t,
        List.of());
  }

  @Test
  void callsByMethodAndPathTheHostOnlyWhenTheyDiffer() {
    ThreadRef r = new ThreadRef(1, "http-1", ThreadRole.RENDER);
    Flow one =
        Flow.builder("t", "f")
            .time(0, 20 * MS)
            .renderThread(r)
            .addCall(
                call("a", "http://127.0.0.1:38053/user?session=REDACTED", "127.0.0.1", 38053, r))
            .addCall(call("b", "http://127.0.0.1:38053/", "127.0.0.1", 38053, r))
            .build();
    assertThat(Names.callLabels(one)).containsExactly("GET /user", "GET /");
    Flow two =
        Flow.builder("t", "f")
            .time(0, 20 * MS)
            .renderThread(r)
            .addCall(call("a", "http://users:8081/users/42", "users", 8081, r))
            .addCall(call("b", "http://cart:8082/cart", "cart", 8082, r))
            .addCall(call("c", "", "cart", 8082, r))
            .build();
    assertThat(Names.callLabels(two))
        .containsExactly("GET users:8081/users/42", "GET cart:8082/cart", "GET cart:8082");
  }

  /**
   * OkHttp names its dispatcher threads after the redacted URL they serve: four lanes of callbacks
   * would all read {@code OkHttp http://127.0.0.1:38053/...}.
   */
  @Test
  void lanesThatShareAThreadNameAreToldApartByWhatTheyDid() {
    ThreadRef r = new ThreadRef(1, "http-1", ThreadRole.RENDER);
    Flow.Builder b = Flow.builder("t", "f").time(0, 50 * MS).renderThread(r);
    String[] paths = {"user", "cart", "cart"};
    for (int i = 0; i < paths.length; i++) {
      b.addCall(call("c" + i, "http://127.0.0.1:38053/" + paths[i], "127.0.0.1", 38053, r));
      ThreadRef ok =
          new ThreadRef(10 + i, "OkHttp http://127.0.0.1:38053/...", ThreadRole.CLIENT_DISPATCHER);
      b.addBlock(
          new Block(
              "k" + i,
              ok,
              "future.join",
              (12 + i) * MS,
              (20 + i) * MS,
              CodeLocation.UNKNOWN,
              List.of("c" + i)));
    }
    String[] names = Names.laneNames(b.build());
    assertThat(names)
        .containsExactly(
            "http-1",
            "OkHttp · waits /user",
            "OkHttp #11 · waits /cart",
            "OkHttp #12 · waits /cart");
  }
}
