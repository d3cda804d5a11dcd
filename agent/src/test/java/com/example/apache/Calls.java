package com.example.apache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** One HTTP client as a page uses it. */
abstract class Calls implements AutoCloseable {
  /** Enough workers for every call of a page: the client's pool is what limits them. */
  static final ExecutorService WORKERS = Executors.newFixedThreadPool(16);

  /** One call, the response's body as text. */
  abstract String get(String url) throws Exception;

  /** The calls issued together, then waited for in order. */
  List<String> all(List<String> urls) throws Exception {
    List<Future<String>> futures = new ArrayList<>();
    for (String url : urls) {
      futures.add(WORKERS.submit(() -> get(url)));
    }
    List<String> out = new ArrayList<>();
    for (Future<String> f : futures) {
      out.add(f.get());
    }
    return out;
  }

  /** The client's other forms, a 500 from {@code backend}, a refused connection. */
  abstract String shape(String backend, String refused) throws Exception;

  @Override
  public abstract void close() throws Exception;
}
