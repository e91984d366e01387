package org.debvisor.controller.iso;

/** How QEMU runs the guest CPU. */
public enum Accelerator {
  KVM,
  TCG
}
