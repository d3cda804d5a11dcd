package com.example.locks;

/**
 * A class whose initializer sleeps: a virtual thread that initializes it cannot leave its carrier
 * (a VM frame is on its stack), and others that need the class wait for it in the VM: both pinned.
 */
final class SlowStart {
  static final String READY;

  static {
    try {
      Thread.sleep(60);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    READY = "ready";
  }

  private SlowStart() {}
}
