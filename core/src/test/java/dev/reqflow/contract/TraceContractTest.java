package dev.reqflow.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceContractTest {

  @Test
  void phaseEventsAreListedOnceInOrder() {
    assertThat(TraceContract.Event.PHASE_ORDER)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(constantsOf(TraceContract.Event.class))
        .startsWith(TraceContract.Event.DISPATCHED)
        .endsWith(TraceContract.Event.RESPONSE_BODY_DONE);
  }

  @Test
  void attributeKeysAreDistinct() {
    assertThat(constantsOf(TraceContract.Attr.class))
        .doesNotHaveDuplicates()
        .hasSizeGreaterThan(20);
  }

  @Test
  void ourOwnAttributesAreNamespaced() {
    assertThat(constantsOf(TraceContract.Attr.class))
        .filteredOn(k -> !k.startsWith("reqflow."))
        .allMatch(
            k ->
                k.startsWith("http.")
                    || k.startsWith("url.")
                    || k.startsWith("server.")
                    || k.startsWith("code.")
                    || k.startsWith("thread.")
                    || k.equals("error.type"),
            "a semantic-convention key");
  }

  private static List<String> constantsOf(Class<?> holder) {
    List<String> values = new ArrayList<>();
    for (Field f : holder.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        try {
          values.add((String) f.get(null));
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return values;
  }
}
