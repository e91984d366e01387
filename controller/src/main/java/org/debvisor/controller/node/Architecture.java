package org.debvisor.controller.node;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Debian architectures DebVisor installs. */
public enum Architecture {
  AMD64,
  ARM64;

  /** Debian's name: {@code amd64}, {@code arm64}. */
  public String debianName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether the installer boots with a legacy BIOS as well as UEFI (and grub needs a boot disk).
   */
  public boolean hasBios() {
    return this == AMD64;
  }

  /** Parses {@code amd64} or {@code arm64}. */
  public static Architecture parse(String text) {
    for (Architecture arch : values()) {
      if (arch.debianName().equals(text)) {
        return arch;
      }
    }
    throw new IllegalArgumentException(
        "'"
            + text
            + "' is not a supported architecture; use one of "
            + Arrays.stream(values())
                .map(Architecture::debianName)
                .collect(Collectors.joining(", ")));
  }
}
