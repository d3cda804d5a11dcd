package dev.reqflow.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlockTest {
  @Test
  void arrayLocksAreNamedAsJavaNamesThem() {
    // JDK HttpServer's response writes synchronize on an int[] (a newcomer saw "[I").
    assertThat(Block.javaName("[I")).isEqualTo("int[]");
    assertThat(Block.javaName("[[B")).isEqualTo("byte[][]");
    assertThat(Block.javaName("[Ljava.lang.Object;")).isEqualTo("java.lang.Object[]");
    assertThat(Block.javaName("com.example.Client")).isEqualTo("com.example.Client");
    assertThat(Block.javaName("")).isEmpty();
  }
}
