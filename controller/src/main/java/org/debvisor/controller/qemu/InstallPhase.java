package org.debvisor.controller.qemu;

/** The steps of an unattended install, in the order the installer goes through them. */
public enum InstallPhase {
  FIRMWARE("firmware/bootloader"),
  KERNEL_BOOTED("kernel booted"),
  PRESEED_READ("preseed read"),
  NETWORK_CONFIGURED("network configured"),
  MIRROR_CHECKED("mirror checked"),
  COMPONENTS_DOWNLOADING("components downloading"),
  PARTITIONING("partitioning"),
  BASE_SYSTEM("base system installing"),
  SOFTWARE("software installing"),
  BOOTLOADER_INSTALL("boot loader installing"),
  FINISHED("install finished");

  private final String label;

  InstallPhase(String label) {
    this.label = label;
  }

  /** Human-readable name used in reports. */
  public String label() {
    return label;
  }
}
