package com.example.deploy.launch;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads the page once per thread kind, as a browser would, and prints what came back. */
final class PageLoads {
  private PageLoads() {}

  static void load(int port, String path, List<String> threadKinds) throws Exception {
    for (String threads : threadKinds) {
      URL url = new URL("http://127.0.0.1:" + port + path + "?threads=" + threads);
      HttpURLConnection c = (HttpURLConnection) url.openConnection();
      int code = c.getResponseCode();
      try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("page threads=" + threads + " " + code + " " + body);
      }
    }
  }
}
