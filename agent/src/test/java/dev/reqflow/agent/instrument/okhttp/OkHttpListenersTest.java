package dev.reqflow.agent.instrument.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Set;
import java.util.TreeSet;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;
import org.junit.jupiter.api.Test;

class OkHttpListenersTest {

  @Test
  void theDefinedListenerNamesOnlyOkHttpOkioTheJdkAndTheBridge() throws Exception {
    Set<String> named = new TreeSet<>();
    Remapper recording =
        new Remapper() {
          @Override
          public String map(String internalName) {
            named.add(internalName);
            return internalName;
          }
        };
    ClassVisitor collector =
        new ClassRemapper(new ClassWriter(0), recording) {
          @Override
          public void visitInnerClass(String name, String outerName, String innerName, int access) {
            // Only a note for reflection: the contract's nested constants are inlined, and the
            // JVM never resolves an InnerClasses entry on its own.
          }
        };
    new ClassReader(OkHttpListeners.helperBytes()).accept(collector, 0);

    assertThat(named).contains("okhttp3/ReqflowEventListener", "okhttp3/EventListener");
    assertThat(named)
        .allSatisfy(
            n ->
                assertThat(n)
                    .matches(
                        "java/.*|okhttp3/.*|okio/.*|dev/reqflow/agent/bootstrap/Bridge(\\$.*)?"));
  }

  @Test
  void chainsInFrontOfTheCallsListenerInOkHttpsOwnLoader() throws Exception {
    try (URLClassLoader app = okHttpOnly();
        URLClassLoader other = okHttpOnly()) {
      Object call = newCall(app);
      Object original = listenerOf(call);

      OkHttpListeners.chain(call);

      Object chained = listenerOf(call);
      Class<?> helper = chained.getClass();
      assertThat(helper.getName()).isEqualTo(OkHttpListeners.HELPER);
      assertThat(helper.getClassLoader()).isSameAs(app);
      assertThat(helper.getSuperclass()).isSameAs(app.loadClass("okhttp3.EventListener"));
      assertThat(field(helper, "delegate").get(chained)).isSameAs(original);

      OkHttpListeners.chain(call);
      assertThat(listenerOf(call)).as("chained once").isSameAs(chained);

      Object second = newCall(app);
      OkHttpListeners.chain(second);
      assertThat(listenerOf(second).getClass()).as("defined once per loader").isSameAs(helper);

      Object elsewhere = newCall(other);
      OkHttpListeners.chain(elsewhere);
      assertThat(listenerOf(elsewhere).getClass().getClassLoader()).isSameAs(other);
    }
  }

  @Test
  void objectsOtherThanOkHttpCallsAreLeftAlone() throws Exception {
    LooksLikeACall notACall = new LooksLikeACall();
    Object before = notACall.eventListener;
    OkHttpListeners.chain(notACall);
    assertThat(notACall.eventListener).isSameAs(before);
  }

  /** Has the field, is not {@code RealCall}. */
  private static final class LooksLikeACall {
    Object eventListener = new Object();
  }

  /** OkHttp, Okio and Kotlin in a loader of their own, which cannot see the agent's classes. */
  private static URLClassLoader okHttpOnly() {
    return new URLClassLoader(
        new URL[] {
          jarOf(okhttp3.OkHttpClient.class), jarOf(okio.Buffer.class), jarOf(kotlin.Unit.class)
        },
        ClassLoader.getPlatformClassLoader());
  }

  private static URL jarOf(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation();
  }

  private static Object newCall(ClassLoader loader) throws Exception {
    Object client = loader.loadClass("okhttp3.OkHttpClient").getConstructor().newInstance();
    Class<?> builderType = loader.loadClass("okhttp3.Request$Builder");
    Object builder = builderType.getConstructor().newInstance();
    builderType.getMethod("url", String.class).invoke(builder, "http://127.0.0.1:9/");
    Object request = builderType.getMethod("build").invoke(builder);
    return client
        .getClass()
        .getMethod("newCall", loader.loadClass("okhttp3.Request"))
        .invoke(client, request);
  }

  private static Object listenerOf(Object call) throws Exception {
    return field(call.getClass(), "eventListener").get(call);
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
