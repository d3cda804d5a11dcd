package dev.reqflow.agent.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CallContentTest {
  private final KeyedHash hash = new KeyedHash(11, 12);
  private final FlowTokens flow = new FlowTokens();
  private final List<String> links = new ArrayList<>();

  private CallContent call(String name, String method, String url) {
    return new CallContent(
        hash, flow, name, method, url, source -> links.add(name + "<-" + source));
  }

  private static void respond(CallContent c, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    c.content(CallContent.RESPONSE_BODY, b, 0, b.length);
  }

  @Test
  void aRequestCarryingAValueAnEarlierResponseReturnedDependsOnIt() {
    CallContent user = call("user", "GET", "http://u/user?session=s-1042");
    respond(user, "{\"id\":\"u-1042\",\"session\":\"s-1042\"}");
    user.finish();

    call("orders", "GET", "http://o/orders?user=u-1042&session=s-1042");
    call("ads", "GET", "http://a/ads?session=s-1042");

    // The session came with the page's request (the first call carried it before any answer):
    // echoed back, it is no one's data.
    assertThat(links).containsExactly("orders<-user");
  }

  @Test
  void theInboundRequestsValuesComeFromOutside() {
    CallContent.inbound(hash, flow, "/home?customer=c-77&strategy=x");
    CallContent lookup = call("lookup", "GET", "http://c/lookup");
    respond(lookup, "{\"customer\":\"c-77\",\"tier\":\"gold-1\"}");

    call("offers", "GET", "http://o/offers?customer=c-77&tier=gold-1");

    assertThat(links).containsExactly("offers<-lookup");
  }

  @Test
  void aGzippedResponseIsReadToo() throws Exception {
    CallContent list = call("list", "GET", "http://l/list");
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
      z.write("{\"items\":[\"item-90210\"]}".getBytes(StandardCharsets.UTF_8));
    }
    byte[] b = zipped.toByteArray();
    list.content(CallContent.RESPONSE_BODY, b, 0, b.length);

    call("item", "GET", "http://l/items/item-90210");

    assertThat(links).containsExactly("item<-list");
  }

  @Test
  void theRequestHashCoversMethodUrlAndBody() {
    byte[] body = "{\"q\":\"books\"}".getBytes(StandardCharsets.UTF_8);
    CallContent a = call("a", "POST", "http://s/search?page=1");
    a.content(CallContent.REQUEST_BODY, body, 0, body.length);
    CallContent b = call("b", "POST", "http://s/search?page=1");
    b.content(CallContent.REQUEST_BODY, body, 0, body.length);
    CallContent other = call("c", "POST", "http://s/search?page=2");
    other.content(CallContent.REQUEST_BODY, body, 0, body.length);
    CallContent streamed = call("d", "POST", "http://s/search?page=1");
    streamed.content(CallContent.REQUEST_BODY, null, 0, 0);

    assertThat(a.requestHash()).isEqualTo(b.requestHash());
    assertThat(other.requestHash()).isNotEqualTo(a.requestHash());
    assertThat(streamed.requestHashKnown()).isFalse();
    assertThat(call("e", "GET", "http://s/search?page=1").requestHash())
        .isNotEqualTo(a.requestHash());
  }

  @Test
  void aRequestWithoutABodyHashesAsItsMethodAndUrlAloneAnywhere() {
    CallContent get = call("get", "GET", "http://s/search?page=1");
    byte[] body = "{\"q\":\"books\"}".getBytes(StandardCharsets.UTF_8);
    CallContent post = call("post", "POST", "http://s/search?page=1");
    post.content(CallContent.REQUEST_BODY, body, 0, body.length);

    assertThat(get.requestHashOfMethodAndUrl()).isTrue();
    assertThat(CallContent.requestHash(hash, "GET", "http://s/search?page=1"))
        .isEqualTo(get.requestHash());
    assertThat(post.requestHashOfMethodAndUrl()).isFalse();
    assertThat(CallContent.requestHash(hash, "POST", "http://s/search?page=1"))
        .isNotEqualTo(post.requestHash());
  }

  @Test
  void aFlowKeepsAtMostItsBoundAndSaysSo() {
    CallContent big = call("big", "GET", "http://b/big");
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < FlowTokens.MAX_TOKENS + 10; i++) {
      json.append(i == 0 ? "" : ",").append(100_000 + i);
    }
    respond(big, json.append(']').toString());

    assertThat(flow.cut()).isTrue();
    flow.close();
    call("after", "GET", "http://b/x/100001");
    assertThat(links).isEmpty();
  }
}
