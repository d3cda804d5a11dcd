package dev.reqflow.sample.strategy;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Where each backend answers, given the base URI of the backend server. */
public record BackendUrls(URI base) {
  public String user(String session) {
    return url("user?session=" + encode(session));
  }

  public String recommendations(String userId) {
    return url("recommendations?userId=" + encode(userId));
  }

  public String reviews() {
    return url("reviews");
  }

  public String cart(String session) {
    return url("cart?session=" + encode(session));
  }

  public String ads() {
    return url("ads");
  }

  public String adsAuction() {
    return url("ads/auction");
  }

  public String deals() {
    return url("deals");
  }

  public String product(int id) {
    return url("product?id=" + id);
  }

  public String delay(long ms) {
    return url("delay?ms=" + ms);
  }

  private String url(String pathAndQuery) {
    return base.resolve(pathAndQuery).toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
