package dev.reqflow.sample.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The two things the page reads from backend JSON; the backends' bodies are flat and known. */
final class Json {
  private static final Pattern USER_ID = Pattern.compile("\"id\":\"(u-[0-9]+)\"");
  private static final Pattern PRODUCT_ID = Pattern.compile("\"id\":\"(p-[0-9]+)\"");

  private Json() {}

  /** The user id in a {@code /user} answer. */
  static String userId(String userJson) {
    Matcher matcher = USER_ID.matcher(userJson);
    if (!matcher.find()) {
      throw new IllegalStateException("no user id in " + userJson);
    }
    return matcher.group(1);
  }

  /** The product ids mentioned in an answer, in order. */
  static List<String> productIds(String json) {
    List<String> ids = new ArrayList<>();
    Matcher matcher = PRODUCT_ID.matcher(json);
    while (matcher.find()) {
      ids.add(matcher.group(1));
    }
    return ids;
  }
}
