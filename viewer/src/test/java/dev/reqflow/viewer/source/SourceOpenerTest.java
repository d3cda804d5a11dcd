package dev.reqflow.viewer.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.reqflow.flow.CodeLocation;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceOpenerTest {
  @Test
  void pathFromPackageAndFile() {
    assertThat(
            SourceOpener.sourcePath(
                new CodeLocation("shop.home.HomePage.render", "HomePage.java", 42)))
        .isEqualTo("shop/home/HomePage.java");
    assertThat(SourceOpener.sourcePath(new CodeLocation("shop.home.HomePage$1.run", "", 42)))
        .isEqualTo("shop/home/HomePage.java");
    assertThat(SourceOpener.sourcePath(new CodeLocation("x.Y.z", "src/main/java/x/Y.java", 1)))
        .isEqualTo("src/main/java/x/Y.java");
    assertThat(SourceOpener.sourcePath(CodeLocation.UNKNOWN)).isNull();
  }

  @Test
  void ideaUrlAndCommand() {
    SourceOpener o = new SourceOpener("http://localhost:63342", "idea --line {line} {file}");
    assertThat(o.ideaUrl("shop/home/HomePage.java", 42))
        .isEqualTo("http://localhost:63342/api/file/shop/home/HomePage.java:42");
    assertThat(o.commandFor("a/B.java", 7)).containsExactly("idea", "--line", "7", "a/B.java");
  }

  @Test
  void asksTheIdeAndSaysClearlyWhenNothingAnswers() throws Exception {
    List<String> asked = new ArrayList<>();
    HttpServer ide = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ide.createContext(
        "/api/file/",
        ex -> {
          asked.add(ex.getRequestURI().getPath());
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    ide.start();
    String base = "http://127.0.0.1:" + ide.getAddress().getPort();
    try {
      String msg =
          new SourceOpener(base, "").open(new CodeLocation("shop.Home.render", "Home.java", 9));
      assertThat(msg).startsWith("Opened shop/Home.java:9");
      assertThat(asked).containsExactly("/api/file/shop/Home.java:9");
    } finally {
      ide.stop(0);
    }
    String msg =
        new SourceOpener(base, "").open(new CodeLocation("shop.Home.render", "Home.java", 9));
    assertThat(msg).contains("not answering").contains("no open command is set");
  }
}
