package dev.reqflow.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

/** Compares spans as read by two readers, field by field. */
final class SameSpans {
  private SameSpans() {}

  /** Every field of every span equal (arrays up to their counts). */
  static void assertSame(List<RawSpan> actual, List<RawSpan> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      for (Field f : RawSpan.class.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        f.setAccessible(true);
        try {
          Object a = f.get(actual.get(i));
          Object e = f.get(expected.get(i));
          String what = expected.get(i).spanId + "." + f.getName();
          if (e instanceof Object[] ea) {
            assertThat(Arrays.copyOf((Object[]) a, count(expected.get(i), f)))
                .as(what)
                .isEqualTo(Arrays.copyOf(ea, count(expected.get(i), f)));
          } else if (e instanceof long[] el) {
            assertThat(Arrays.copyOf((long[]) a, count(expected.get(i), f)))
                .as(what)
                .isEqualTo(Arrays.copyOf(el, count(expected.get(i), f)));
          } else if (f.getName().equals("more")) {
            assertThat(actual.get(i).more())
                .as(what)
                .usingRecursiveComparison()
                .isEqualTo(expected.get(i).more());
          } else {
            assertThat(a).as(what).isEqualTo(e);
          }
        } catch (IllegalAccessException ex) {
          throw new AssertionError(ex);
        }
      }
    }
  }

  private static int count(RawSpan s, Field f) {
    return f.getName().startsWith("event") ? s.eventCount : s.linkCount;
  }
}
