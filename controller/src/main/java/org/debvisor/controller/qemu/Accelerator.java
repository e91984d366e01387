package org.debvisor.controller.qemu;

/** How QEMU runs the guest CPU. */
public enum Accelerator {
  KVM,
  TCG
}
