package org.debvisor.controller.qemu;

import java.nio.file.Path;
import java.time.Duration;
import org.debvisor.controller.node.Architecture;

/**
 * An {@code iso test} run.
 *
 * @param iso the installer ISO to boot
 * @param arch its architecture
 * @param uefi boot amd64 with OVMF instead of BIOS (arm64 always boots UEFI)
 * @param timeout how long the install may take in total
 * @param workDir where the disk, serial log and screendumps go (created if missing)
 */
public record IsoTestRequest(
    Path iso, Architecture arch, boolean uefi, Duration timeout, Path workDir) {

  /** UEFI firmware of Debian's {@code ovmf} package (amd64). */
  public static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE.fd");

  /** The variable store template copied for each run. */
  public static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS.fd");

  /** UEFI firmware of Debian's {@code qemu-efi-aarch64} package. */
  public static final Path AAVMF = Path.of("/usr/share/qemu-efi-aarch64/QEMU_EFI.fd");

  public IsoTestRequest {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
  }
}
