package dev.reqflow.sample.backend;

import dev.reqflow.sample.http.Query;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small, believable JSON bodies for each backend: a shop's users, products, reviews and ads. */
final class SampleData {
  private static final Pattern SESSION_NUMBER = Pattern.compile("s-(\\d{1,9})");

  private record Product(String name, String price) {}

  private static final List<Product> CATALOGUE =
      List.of(
          new Product("Espresso grinder", "129.00"),
          new Product("Pour-over kettle", "45.50"),
          new Product("Ceramic dripper", "24.00"),
          new Product("Milk frother", "39.90"),
          new Product("Coffee scale", "29.00"),
          new Product("Cold brew jar", "19.50"),
          new Product("Travel mug", "22.00"),
          new Product("Tamper", "17.00"),
          new Product("Knock box", "26.00"),
          new Product("Paper filters (100)", "6.50"),
          new Product("Single-origin beans 1 kg", "34.00"),
          new Product("Descaler", "9.90"));

  private static final List<String> NAMES =
      List.of("Ada Lovelace", "Grace Hopper", "Alan Turing", "Barbara Liskov", "Edsger Dijkstra");

  private SampleData() {}

  /**
   * The body {@code backend} answers to {@code query}.
   *
   * @throws IllegalArgumentException when a required parameter is missing or malformed
   */
  static String body(Backend backend, Query query) {
    return switch (backend) {
      case USER -> user(required(query, "session"));
      case RECOMMENDATIONS -> recommendations(required(query, "userId"));
      case REVIEWS -> REVIEWS;
      case CART -> cart(query.get("session", "anonymous"));
      case ADS -> ADS;
      case ADS_AUCTION -> AUCTION;
      case DEALS -> DEALS;
      case PRODUCT -> product(query.intValue("id", -1, 1, 1_000_000));
      case DELAY -> "{\"delayedMs\":" + delayMs(query) + "}";
    };
  }

  /** The {@code ?ms=} of a {@code /delay} request, up to a minute. */
  static long delayMs(Query query) {
    return query.intValue("ms", 0, 0, 60_000);
  }

  /** Sessions look like {@code s-1042} and belong to user {@code u-1042}; others are hashed. */
  static String userIdOf(String session) {
    Matcher matcher = SESSION_NUMBER.matcher(session);
    int number =
        matcher.matches()
            ? Integer.parseInt(matcher.group(1))
            : 1000 + Math.floorMod(session.hashCode(), 9000);
    return "u-" + number;
  }

  private static String user(String session) {
    String id = userIdOf(session);
    String name = NAMES.get(Math.floorMod(id.hashCode(), NAMES.size()));
    return String.format(
        Locale.ROOT,
        "{\"id\":\"%s\",\"name\":\"%s\",\"tier\":\"gold\",\"memberSince\":\"2019-04-02\"}",
        id,
        name);
  }

  private static String recommendations(String userId) {
    int start = Math.floorMod(userId.hashCode(), CATALOGUE.size());
    StringJoiner items = new StringJoiner(",");
    for (int i = 0; i < 3; i++) {
      items.add(productJson(1 + (start + i) % CATALOGUE.size()));
    }
    return "{\"userId\":\"" + userId + "\",\"items\":[" + items + "]}";
  }

  private static String cart(String session) {
    return "{\"session\":\""
        + session.replaceAll("[^A-Za-z0-9-]", "")
        + "\",\"items\":[{\"id\":\"p-3\",\"qty\":2},{\"id\":\"p-10\",\"qty\":1}],"
        + "\"total\":\"54.50\"}";
  }

  private static String product(int id) {
    if (id < 0) {
      throw new IllegalArgumentException("id is required");
    }
    return productJson(id);
  }

  private static String productJson(int id) {
    Product product = CATALOGUE.get((id - 1) % CATALOGUE.size());
    return String.format(
        Locale.ROOT,
        "{\"id\":\"p-%d\",\"name\":\"%s\",\"price\":\"%s\"}",
        id,
        product.name(),
        product.price());
  }

  private static String required(Query query, String name) {
    return query
        .get(name)
        .filter(value -> !value.isBlank())
        .orElseThrow(() -> new IllegalArgumentException(name + " is required"));
  }

  private static final String REVIEWS =
      "{\"reviews\":["
          + "{\"productId\":\"p-1\",\"stars\":5,\"text\":\"Grinds evenly, quiet enough at 6 am.\"},"
          + "{\"productId\":\"p-5\",\"stars\":4,\"text\":\"Accurate to the gram.\"},"
          + "{\"productId\":\"p-2\",\"stars\":3,\"text\":\"Pours well, lid rattles.\"}]}";

  private static final String ADS =
      "{\"ads\":[{\"id\":\"ad-12\",\"text\":\"Free shipping on beans this week\"}]}";

  private static final String AUCTION =
      "{\"winner\":\"bidder-7\",\"ads\":[{\"id\":\"ad-31\",\"text\":\"Barista course, 20% off\"}]}";

  private static final String DEALS =
      "{\"deals\":["
          + "{\"id\":\"p-4\",\"name\":\"Milk frother\",\"was\":\"39.90\",\"now\":\"29.90\"},"
          + "{\"id\":\"p-6\",\"name\":\"Cold brew jar\",\"was\":\"19.50\",\"now\":\"14.00\"}]}";
}
