package com.example.asyncmvc;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot MVC service on embedded Tomcat whose pages answer asynchronously ({@link
 * PageController}). Usage: {@code java -jar async-mvc-app.jar --backend=URL} (with {@code
 * --server.port=0 --server.address=127.0.0.1} in the tests); prints {@code pages: URL} once it
 * listens.
 */
@SpringBootApplication
public class AsyncMvcApp {

  public static void main(String[] args) {
    SpringApplication.run(AsyncMvcApp.class, args);
  }

  /** The pool the page fans its calls out on when asked for two workers. */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService twoWorkers() {
    return fixedPool("page-two-worker", 2);
  }

  /** The pool with a worker per call. */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService threeWorkers() {
    return fixedPool("page-three-worker", 3);
  }

  /** A pool of two shared by every request of {@code /shared}: concurrent pages queue in it. */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService sharedTwo() {
    return fixedPool("shared-two", 2);
  }

  /** The same, sized to what concurrent pages ask of it at their peak. */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService sharedSix() {
    return fixedPool("shared-six", 6);
  }

  private static ExecutorService fixedPool(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Bean
  ApplicationListener<WebServerInitializedEvent> announce() {
    return e -> System.out.println("pages: http://127.0.0.1:" + e.getWebServer().getPort() + "/");
  }
}
