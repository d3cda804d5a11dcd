package dev.reqflow.agent;

import dev.reqflow.agent.bootstrap.Bridge;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The {@code test.fail=HOOK} test hook: the recorder, except that one of its hooks throws every
 * time the advice calls it. Tests use it to prove that an exception inside the recording path never
 * reaches the application and is counted. Not installed unless asked for, so it costs the normal
 * path nothing.
 */
final class FailingHooks implements InvocationHandler {

  private final Bridge.Hooks delegate;
  private final String failing;

  private FailingHooks(Bridge.Hooks delegate, String failing) {
    this.delegate = delegate;
    this.failing = failing;
  }

  /** {@code recorder} with {@code hook} throwing, or null if no hook has that name. */
  static Bridge.Hooks wrap(Bridge.Hooks recorder, String hook) {
    boolean known = false;
    for (Method m : Bridge.Hooks.class.getMethods()) {
      // A failing error report would only be swallowed: nothing to prove there.
      known |= m.getName().equals(hook) && !hook.equals("adviceError");
    }
    if (!known) {
      return null;
    }
    return (Bridge.Hooks)
        Proxy.newProxyInstance(
            FailingHooks.class.getClassLoader(),
            new Class<?>[] {Bridge.Hooks.class},
            new FailingHooks(recorder, hook));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals(failing)) {
      throw new IllegalStateException("reqflow test.fail=" + failing);
    }
    if (method.getDeclaringClass() == Object.class) {
      return method.invoke(this, args);
    }
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
