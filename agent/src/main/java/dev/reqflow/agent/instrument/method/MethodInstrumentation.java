package dev.reqflow.agent.instrument.method;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.reqflow.agent.instrument.Advices;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/** Methods named {@code class#method} in the options become flows or sections. */
public final class MethodInstrumentation {
  private MethodInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader, List<String> patterns) {
    Map<String, Set<String>> byType = new LinkedHashMap<>();
    for (String p : patterns) {
      int hash = p.indexOf('#');
      byType
          .computeIfAbsent(p.substring(0, hash), k -> new LinkedHashSet<>())
          .add(p.substring(hash + 1));
    }
    AgentBuilder out = b;
    for (Map.Entry<String, Set<String>> e : byType.entrySet()) {
      ElementMatcher.Junction<MethodDescription> methods = ElementMatchers.none();
      for (String m : e.getValue()) {
        methods = methods.or(named(m));
      }
      out =
          out.type(named(e.getKey()))
              .transform(
                  Advices.transformer(agentLoader)
                      .include(agentLoader)
                      .advice(methods.and(not(isAbstract())), MethodAdvice.class.getName()));
    }
    return out;
  }
}
