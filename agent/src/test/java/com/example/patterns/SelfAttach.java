package com.example.patterns;

import com.sun.tools.attach.VirtualMachine;

/** Loads an agent into this very JVM (needs {@code -Djdk.attach.allowAttachSelf=true}). */
final class SelfAttach {
  private SelfAttach() {}

  static void load(String agentJar, String options) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
    try {
      vm.loadAgent(agentJar, options);
    } finally {
      vm.detach();
    }
  }
}
