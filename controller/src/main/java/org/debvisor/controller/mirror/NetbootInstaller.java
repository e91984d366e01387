package org.debvisor.controller.mirror;

import java.nio.file.Path;
import org.debvisor.controller.node.Architecture;

/**
 * The unpacked netboot installer of one architecture.
 *
 * @param version installer build, like {@code 20250803+deb13u6}
 * @param packageSha256 SHA-256 of the netboot {@code .deb}
 * @param verifiedBy how that checksum was established
 * @param kernel the installer kernel ({@code linux})
 * @param initrd its {@code initrd.gz}
 * @param shimEfi the signed shim ({@code bootnetx64.efi}/{@code bootnetaa64.efi})
 * @param grubEfi the signed GRUB the shim loads ({@code grubx64.efi}/{@code grubaa64.efi})
 */
public record NetbootInstaller(
    Architecture arch,
    String version,
    String packageSha256,
    String verifiedBy,
    Path kernel,
    Path initrd,
    Path shimEfi,
    Path grubEfi) {

  /** The EFI file name suffix: {@code x64} or {@code aa64}. */
  public static String efiSuffix(Architecture arch) {
    return arch == Architecture.AMD64 ? "x64" : "aa64";
  }
}
