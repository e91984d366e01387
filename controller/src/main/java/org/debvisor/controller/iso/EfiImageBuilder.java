package org.debvisor.controller.iso;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.mirror.NetbootInstaller;

/**
 * Builds the El Torito EFI boot image: a FAT file system with the shim as the removable-media
 * loader, Debian's signed GRUB beside it and the bootstrap grub.cfg where that GRUB looks for it
 * ({@code <prefix>/grub.cfg}, see {@link GrubEfiImage}); dosfstools + mtools, which honour
 * SOURCE_DATE_EPOCH; the volume serial is fixed.
 */
final class EfiImageBuilder {

  private static final String VOLUME_SERIAL = "44564953";

  private final ToolRunner tools;
  private final long epoch;

  public EfiImageBuilder(ToolRunner tools, long epoch) {
    this.tools = tools;
    this.epoch = epoch;
  }

  /**
   * Writes the image to {@code target}; {@code scratch} is a private work directory.
   *
   * @param configPath where the installer's GRUB reads its config, like {@code
   *     /debian-installer/amd64/grub/grub.cfg}
   */
  public void build(
      NetbootInstaller installer, String configPath, String bootstrapCfg, Path scratch, Path target)
      throws IsoBuildException {
    String suffix = NetbootInstaller.efiSuffix(installer.arch());
    // The tools run in scratch: every path they get must not depend on the caller's directory.
    scratch = scratch.toAbsolutePath();
    target = target.toAbsolutePath();
    try {
      Files.createDirectories(scratch);
      Path cfg = scratch.resolve("grub.cfg");
      Files.writeString(cfg, bootstrapCfg, StandardCharsets.UTF_8);
      Path shim = copyWithEpoch(installer.shimEfi(), scratch.resolve("boot.efi"));
      Path grub = copyWithEpoch(installer.grubEfi(), scratch.resolve("grub.efi"));
      Files.setLastModifiedTime(cfg, FileTime.from(java.time.Instant.ofEpochSecond(epoch)));
      long kib = (Files.size(shim) + Files.size(grub) + 4 * Files.size(cfg)) / 1024 + 1024;
      Files.deleteIfExists(target);
      String image = target.toString();
      tools.run(
          List.of(
              "mkfs.vfat",
              "-C",
              "--invariant",
              "-n",
              "EFIBOOT",
              "-i",
              VOLUME_SERIAL,
              image,
              Long.toString(kib)),
          scratch);
      List<String> mkdirs = new ArrayList<>(List.of("mmd", "-i", image, "::/EFI", "::/EFI/BOOT"));
      mkdirs.addAll(parents(configPath));
      tools.run(mkdirs, scratch);
      List<String[]> copies = new ArrayList<>();
      // The shim (removable-media path) loads grub<suffix>.efi from its own directory.
      copies.add(new String[] {shim.toString(), "::/EFI/BOOT/BOOT" + upper(suffix) + ".EFI"});
      copies.add(new String[] {grub.toString(), "::/EFI/BOOT/grub" + suffix + ".efi"});
      copies.add(new String[] {cfg.toString(), "::" + configPath});
      for (String[] copy : copies) {
        tools.run(List.of("mcopy", "-m", "-i", image, copy[0], copy[1]), scratch);
      }
    } catch (IOException e) {
      throw new IsoBuildException("cannot build the EFI image: " + e.getMessage(), e);
    }
  }

  /** The mtools names of the directories above {@code path}, outermost first. */
  static List<String> parents(String path) {
    List<String> dirs = new ArrayList<>();
    int slash = path.indexOf('/', 1);
    while (slash > 0) {
      dirs.add("::" + path.substring(0, slash));
      slash = path.indexOf('/', slash + 1);
    }
    return dirs;
  }

  private Path copyWithEpoch(Path source, Path target) throws IOException {
    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(target, FileTime.from(java.time.Instant.ofEpochSecond(epoch)));
    return target;
  }

  private static String upper(String text) {
    return text.toUpperCase(Locale.ROOT);
  }
}
