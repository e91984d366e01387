package org.debvisor.controller.qemu;

import java.util.Optional;

/** The steps of an image-mode install and first boot, in order, as {@code iso test} times them. */
public enum ImageInstallPhase {
  INSTALLER_BOOTED("boot", "installer booted"),
  ANSWER_READ("answer", "answer read"),
  DISK_CHOSEN("disk", "target disk checked"),
  PARTITIONED("partition", "disk partitioned"),
  UNPACKED("unpack", "image unpacking"),
  CONFIGURED("configure", "node configured"),
  BOOTLOADER("bootloader", "boot loader installing"),
  INSTALLED("done", "install finished"),
  SSH_ANSWERING(null, "first boot: SSH answering"),
  AGENT_ANSWERING(null, "agent answering Status"),
  AGENT_ENROLLED(null, "agent enrolled with the controller");

  private final String consoleName;
  private final String label;

  ImageInstallPhase(String consoleName, String label) {
    this.consoleName = consoleName;
    this.label = label;
  }

  /** Human-readable name used in reports. */
  public String label() {
    return label;
  }

  /** The phase the installer prints as {@code DEBVISOR-INSTALL phase=NAME}. */
  static Optional<ImageInstallPhase> fromConsole(String name) {
    for (ImageInstallPhase p : values()) {
      if (name.equals(p.consoleName)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
