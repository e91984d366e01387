package org.debvisor.controller.iso;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.debvisor.controller.install.ImageInstall;
import org.debvisor.controller.install.InstallImage;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.mirror.NetbootInstaller;
import org.debvisor.controller.mirror.Progress;
import org.debvisor.controller.node.Architecture;

/**
 * Lays out the ISO tree and runs xorriso: amd64 gets isolinux (BIOS, isohybrid MBR) and the EFI
 * image (UEFI, GPT); arm64 the EFI image only. Every date is SOURCE_DATE_EPOCH, so equal inputs
 * give an identical image.
 */
public final class IsoAssembler {

  static final Path ISOLINUX_BIN = Path.of("/usr/lib/ISOLINUX/isolinux.bin");
  static final Path ISOHYBRID_MBR = Path.of("/usr/lib/ISOLINUX/isohdpfx.bin");
  static final Path LDLINUX = Path.of("/usr/lib/syslinux/modules/bios/ldlinux.c32");

  private final ToolRunner tools;
  private final BootMenus menus;
  private final Progress progress;

  public IsoAssembler(ToolRunner tools, BootMenus menus, Progress progress) {
    this.tools = tools;
    this.menus = menus;
    this.progress = progress;
  }

  /** Builds the ISO for {@code request} from {@code installer} into {@code target}. */
  public void assemble(IsoBuildRequest request, NetbootInstaller installer, Path work, Path target)
      throws IsoBuildException {
    Architecture arch = request.arch();
    long epoch = request.sourceDateEpoch();
    Path tree = work.resolve("tree");
    try {
      Files.createDirectories(tree.resolve("install"));
      Files.createDirectories(tree.resolve("boot/grub"));
      Files.createDirectories(tree.resolve(".disk"));
      Files.createDirectories(tree.resolve("debvisor"));
      String marker = BootMenus.marker(request, installer);
      String initrd;
      String cmdline;
      if (request.imageMode()) {
        layOutImage(request.image(), tree);
        initrd = BootMenus.IMAGE_INITRD;
        cmdline = BootMenus.imageCommandLine(arch, marker);
      } else {
        layOutPreseed(request, installer, tree, epoch);
        initrd = BootMenus.PRESEED_INITRD;
        cmdline = BootMenus.kernelCommandLine(arch);
      }
      Files.writeString(
          tree.resolve(".disk/info"),
          "DebVisor Debian 13 " + arch.debianName() + " installer " + installer.version() + "\n");
      Path markerFile = tree.resolve(marker.substring(1));
      Files.createDirectories(markerFile.getParent());
      Files.writeString(markerFile, request.volumeId() + "\n");
      Files.writeString(
          tree.resolve("boot/grub/grub.cfg"), menus.grub(arch, request.profile(), cmdline, initrd));
      // The installer's GRUB reads <prefix>/grub.cfg from the device it was loaded from: the ISO
      // (booted as a CD) or the EFI partition (booted as a disk). The bootstrap goes to both.
      String grubEfi = installer.grubEfi().getFileName().toString();
      String configPath = GrubEfiImage.read(installer.grubEfi()).configPath(grubEfi);
      String bootstrap = menus.grubEfiBootstrap(marker);
      Path onIso = tree.resolve(configPath.substring(1));
      Files.createDirectories(onIso.getParent());
      Files.writeString(onIso, bootstrap);
      progress.step("Building the EFI boot image");
      new EfiImageBuilder(tools, epoch)
          .build(
              installer,
              configPath,
              bootstrap,
              work.resolve("efi"),
              tree.resolve("boot/grub/efi.img"));
      if (arch.hasBios()) {
        Files.createDirectories(tree.resolve("isolinux"));
        Files.copy(ISOLINUX_BIN, tree.resolve("isolinux/isolinux.bin"));
        Files.copy(LDLINUX, tree.resolve("isolinux/ldlinux.c32"));
        Files.writeString(
            tree.resolve("isolinux/isolinux.cfg"),
            menus.isolinux(arch, request.profile(), cmdline, initrd));
      }
      setAllDates(tree, epoch);
      progress.step("Writing " + target.getFileName() + " with xorriso");
      Files.deleteIfExists(target);
      tools.run(xorriso(request, tree, target), work);
    } catch (IOException e) {
      throw new IsoBuildException("cannot lay out the ISO tree: " + e.getMessage(), e);
    }
  }

  /** debian-installer with the preseed appended to its initrd, the agent package and CA. */
  private static void layOutPreseed(
      IsoBuildRequest request, NetbootInstaller installer, Path tree, long epoch)
      throws IOException, IsoBuildException {
    byte[] preseed = request.preseed().getBytes(StandardCharsets.UTF_8);
    new InitrdAppender(epoch)
        .append(
            installer.initrd(),
            Map.of("preseed.cfg", preseed),
            tree.resolve("install/" + BootMenus.PRESEED_INITRD));
    Files.copy(installer.kernel(), tree.resolve("install/vmlinuz"));
    Files.write(tree.resolve("debvisor/preseed.cfg"), preseed);
    if (request.agentDeb() != null) {
      Files.copy(request.agentDeb(), tree.resolve("debvisor/debvisor-agent.deb"));
    }
    if (request.controllerCa() != null) {
      Files.copy(request.controllerCa(), tree.resolve("debvisor/controller-ca.pem"));
    }
  }

  /** The image's kernel and installer initramfs, the image, and this node's answer and files. */
  private static void layOutImage(ImageInstall image, Path tree) throws IOException {
    InstallImage built = image.image();
    Files.copy(built.kernel(), tree.resolve("install/vmlinuz"));
    Files.copy(built.installerInitrd(), tree.resolve("install/" + BootMenus.IMAGE_INITRD));
    Files.copy(built.rootfs(), tree.resolve("debvisor/rootfs.tar.zst"));
    Files.copy(built.manifest(), tree.resolve("debvisor/manifest.tsv"));
    Files.copy(built.metadata(), tree.resolve("debvisor/image.json"));
    Files.writeString(tree.resolve("debvisor/install.conf"), image.installConf());
    Files.write(tree.resolve("debvisor/overlay.tar"), image.overlayTar());
  }

  private static List<String> xorriso(IsoBuildRequest request, Path tree, Path target) {
    String date =
        DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                .withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochSecond(request.sourceDateEpoch()))
            + "00";
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "xorriso",
            "-as",
            "mkisofs",
            "-o",
            target.toString(),
            "-V",
            request.volumeId(),
            "-r",
            "-J",
            "-joliet-long",
            "-preparer",
            "DebVisor",
            "-publisher",
            "DebVisor",
            "--modification-date=" + date));
    if (request.arch().hasBios()) {
      cmd.addAll(
          List.of(
              "-isohybrid-mbr",
              ISOHYBRID_MBR.toString(),
              "-b",
              "isolinux/isolinux.bin",
              "-c",
              "isolinux/boot.cat",
              "-no-emul-boot",
              "-boot-load-size",
              "4",
              "-boot-info-table",
              "-eltorito-alt-boot",
              "-e",
              "boot/grub/efi.img",
              "-no-emul-boot",
              "-isohybrid-gpt-basdat"));
    } else {
      cmd.addAll(
          List.of(
              "-e",
              "boot/grub/efi.img",
              "-no-emul-boot",
              "-append_partition",
              "2",
              "0xef",
              tree.resolve("boot/grub/efi.img").toString(),
              "-partition_cyl_align",
              "all"));
    }
    cmd.add(tree.toString());
    return cmd;
  }

  private static void setAllDates(Path tree, long epoch) throws IOException {
    FileTime time = FileTime.from(Instant.ofEpochSecond(epoch));
    try (Stream<Path> paths = Files.walk(tree)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.setLastModifiedTime(p, time);
      }
    }
  }

  /** Replaces {@code target} with {@code source} atomically. */
  static void moveInto(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
