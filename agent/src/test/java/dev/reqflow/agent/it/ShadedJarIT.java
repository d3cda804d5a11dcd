package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** The agent jar carries only our package and META-INF at its root, and declares the agent. */
class ShadedJarIT {

  @Test
  void onlyOurPackageAndMetaInfAtTheRoot() throws Exception {
    Set<String> roots = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    try (JarFile jar = new JarFile(AgentRun.agentJar().toFile())) {
      jar.stream()
          .forEach(
              e -> {
                String n = e.getName();
                names.add(n);
                int slash = n.indexOf('/');
                roots.add(slash < 0 ? n : n.substring(0, slash + 1));
              });
      Manifest m = jar.getManifest();
      assertThat(m.getMainAttributes().getValue("Premain-Class"))
          .isEqualTo("dev.reqflow.agent.ReqflowAgent");
      assertThat(m.getMainAttributes().getValue("Agent-Class"))
          .isEqualTo("dev.reqflow.agent.ReqflowAgent");
      assertThat(m.getMainAttributes().getValue("Can-Retransform-Classes")).isEqualTo("true");
    }
    assertThat(roots).containsExactlyInAnyOrder("dev/", "META-INF/");
    assertThat(names).anyMatch(n -> n.startsWith("dev/reqflow/agent/shaded/net/bytebuddy/"));
    assertThat(names)
        .anyMatch(n -> n.startsWith("dev/reqflow/agent/shaded/io/opentelemetry/sdk/trace/"));
    assertThat(names).contains("dev/reqflow/contract/TraceContract.class");
    // From core only the contract; never the app's OkHttp or an OkHttp sender.
    assertThat(names)
        .allMatch(
            n ->
                !n.endsWith(".class")
                    || !n.startsWith("dev/reqflow/")
                    || n.startsWith("dev/reqflow/agent/")
                    || n.startsWith("dev/reqflow/contract/"));
    assertThat(names).noneMatch(n -> n.contains("okhttp3/") && n.contains("shaded"));
    assertThat(names).noneMatch(n -> n.contains("sender/okhttp"));
    assertThat(names).noneMatch(n -> n.contains("google/protobuf"));
  }
}
