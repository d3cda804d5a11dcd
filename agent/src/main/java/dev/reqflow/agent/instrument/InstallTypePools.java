package dev.reqflow.agent.instrument;

import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * ByteBuddy's type pools, with one cache per class loader shared by every transformation while the
 * install runs, and none afterwards. ByteBuddy's default gives each transformation a pool of its
 * own: each of the JDK types the install retransforms then parses again the advice classes, their
 * annotations and the JDK types they name, all interpreted at that point of the JVM's life. Shared,
 * each class file is parsed once. After the install the classes that still come (the application's,
 * as they load) get ByteBuddy's default again, so that nothing the cache would hold (class loaders,
 * type descriptions) outlives the install: memory stays bounded.
 */
public final class InstallTypePools implements AgentBuilder.PoolStrategy {
  private volatile AgentBuilder.PoolStrategy shared =
      new AgentBuilder.PoolStrategy.WithTypePoolCache.Simple(
          TypePool.Default.ReaderMode.FAST, new ConcurrentHashMap<>());

  /** The install is over: every later transformation gets a pool of its own, as by default. */
  public void installed() {
    shared = null;
  }

  private AgentBuilder.PoolStrategy current() {
    AgentBuilder.PoolStrategy s = shared;
    return s != null ? s : AgentBuilder.PoolStrategy.Default.FAST;
  }

  @Override
  public TypePool typePool(ClassFileLocator locator, ClassLoader loader) {
    return current().typePool(locator, loader);
  }

  @Override
  public TypePool typePool(ClassFileLocator locator, ClassLoader loader, String name) {
    return current().typePool(locator, loader, name);
  }
}
