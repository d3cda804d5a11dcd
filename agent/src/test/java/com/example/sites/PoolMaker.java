package com.example.sites;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * An application that makes a pool: {@code made} runs right under a {@code java.util.concurrent}
 * frame called from here, as the agent's hook runs under {@code Executors.newFixedThreadPool}.
 */
public final class PoolMaker {
  private PoolMaker() {}

  public static void make(Object pool, Function<Object, Object> made) {
    new ConcurrentHashMap<Object, Object>().computeIfAbsent(pool, made);
  }
}
