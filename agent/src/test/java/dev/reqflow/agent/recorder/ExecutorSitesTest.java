package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.sites.PoolMaker;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecutorSitesTest {
  /** The hook, as the constructor's advice calls it: the agent's frames are skipped. */
  private static Object created(Object pool) {
    ExecutorSites.ALL.created(pool);
    return pool;
  }

  @Test
  void aPoolTheApplicationMadeHasItsLine() {
    Object pool = new Object();

    PoolMaker.make(pool, ExecutorSitesTest::created);

    CodeSite site = ExecutorSites.ALL.of(pool);
    assertThat(site).isNotNull();
    assertThat(site.function).isEqualTo("com.example.sites.PoolMaker.make");
    assertThat(site.file).isEqualTo("PoolMaker.java");
    assertThat(site.line).isEqualTo(14);
  }

  /**
   * Made by a library (here the JDK's {@code Optional}, as Spring's {@code ThreadPoolTaskExecutor}
   * makes its pool): no line, rather than an application frame further down that does not size it.
   */
  @Test
  void aPoolALibraryMadeHasNone() {
    Object pool = new Object();

    Optional.of(pool).map(ExecutorSitesTest::created);

    assertThat(ExecutorSites.ALL.of(pool)).isNull();
    assertThat(ExecutorSites.ALL.of(null)).isNull();
  }
}
