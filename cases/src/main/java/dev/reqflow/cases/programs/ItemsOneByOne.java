package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The N+1 over a list: the page fetches a list, then each item's details one after another with the
 * JDK client's {@code send}. The items need the list; they do not need each other.
 */
public final class ItemsOneByOne implements Case {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final Pattern ITEM = Pattern.compile("\"(item-\\d+)\"");

  @Override
  public String name() {
    return "items-one-by-one";
  }

  @Override
  public String pattern() {
    return "N+1: a list, then each item's details one after another (JDK send)";
  }

  @Override
  public String expectedKind() {
    return "parallelize";
  }

  @Override
  public String fix() {
    return "the list, then the four items with sendAsync together";
  }

  @Override
  public void bad(Services s) throws Exception {
    for (String item : items(Http.send(CLIENT, s.svc("list", 200, "items=4")))) {
      Http.send(CLIENT, s.svc("detail", 180, "item=" + item));
    }
  }

  @Override
  public void fixed(Services s) throws Exception {
    List<CompletableFuture<String>> details = new ArrayList<>();
    for (String item : items(Http.send(CLIENT, s.svc("list", 200, "items=4")))) {
      details.add(Http.sendAsync(CLIENT, s.svc("detail", 180, "item=" + item)));
    }
    details.forEach(CompletableFuture::join);
  }

  private static List<String> items(String list) {
    List<String> out = new ArrayList<>();
    Matcher m = ITEM.matcher(list);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
