package org.debvisor.controller.qemu;

/** How QEMU runs the guest CPU. */
enum Accelerator {
  KVM,
  TCG
}
