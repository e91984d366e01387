package org.debvisor.controller.iso;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.install.ImageInstall;
import org.debvisor.controller.install.InstallImage;
import org.debvisor.controller.mirror.FileStamp;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.mirror.NetbootInstaller;
import org.debvisor.controller.mirror.Progress;
import org.debvisor.controller.node.Architecture;

/**
 * Lays out the ISO tree and runs xorriso: amd64 gets isolinux (BIOS, isohybrid MBR) and the EFI
 * image (UEFI, GPT); arm64 the EFI image only. Every date is SOURCE_DATE_EPOCH, so equal inputs
 * give an identical image.
 *
 * <p>Only the small generated files are written into the tree; the large ones (kernel, initrd, EFI
 * image, packages, image files) are grafted by xorriso from where they are kept, which gives the
 * same ISO as copies (names, contents and, by {@code --set_all_file_dates}, dates are equal)
 * without writing and deleting ~55 MB per build. The initrd with the preseed and the EFI image come
 * from {@link DerivedFiles}.
 */
public final class IsoAssembler {

  static final Path ISOLINUX_BIN = Path.of("/usr/lib/ISOLINUX/isolinux.bin");
  static final Path ISOHYBRID_MBR = Path.of("/usr/lib/ISOLINUX/isohdpfx.bin");
  static final Path LDLINUX = Path.of("/usr/lib/syslinux/modules/bios/ldlinux.c32");
  private static final String EFI_IMAGE = "boot/grub/efi.img";

  private final ToolRunner tools;
  private final BootMenus menus;
  private final DerivedFiles derived;
  private final Progress progress;

  public IsoAssembler(ToolRunner tools, BootMenus menus, DerivedFiles derived, Progress progress) {
    this.tools = tools;
    this.menus = menus;
    this.derived = derived;
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
      // ISO path -> file grafted there; sorted, so xorriso gets its arguments in a fixed order.
      Map<String, Path> grafts = new TreeMap<>();
      String initrd;
      String cmdline;
      if (request.imageMode()) {
        layOutImage(request.image(), tree, grafts);
        initrd = BootMenus.IMAGE_INITRD;
        cmdline = BootMenus.imageCommandLine(arch, marker);
      } else {
        layOutPreseed(request, installer, tree, grafts);
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
      String efiKey =
          DerivedFiles.key(
              List.of(
                  "efi.img",
                  installer.packageSha256(),
                  FileStamp.of(installer.shimEfi()),
                  FileStamp.of(installer.grubEfi()),
                  configPath,
                  bootstrap,
                  Long.toString(epoch)));
      Path efiImage =
          derived.get(
              "efi-" + arch.debianName(),
              efiKey,
              image -> {
                progress.step("Building the EFI boot image");
                new EfiImageBuilder(tools, epoch)
                    .build(installer, configPath, bootstrap, work.resolve("efi"), image);
              });
      grafts.put(EFI_IMAGE, efiImage);
      if (arch.hasBios()) {
        Files.createDirectories(tree.resolve("isolinux"));
        // xorriso patches the boot info table into its output, never into the grafted file.
        grafts.put("isolinux/isolinux.bin", ISOLINUX_BIN);
        grafts.put("isolinux/ldlinux.c32", LDLINUX);
        Files.writeString(
            tree.resolve("isolinux/isolinux.cfg"),
            menus.isolinux(arch, request.profile(), cmdline, initrd));
      }
      progress.step("Writing " + target.getFileName() + " with xorriso");
      Files.deleteIfExists(target);
      tools.run(xorriso(request, tree, grafts, target), work);
    } catch (IOException e) {
      throw new IsoBuildException("cannot lay out the ISO tree: " + e.getMessage(), e);
    }
  }

  /** debian-installer with the preseed appended to its initrd, the agent package and CA. */
  private void layOutPreseed(
      IsoBuildRequest request, NetbootInstaller installer, Path tree, Map<String, Path> grafts)
      throws IOException, IsoBuildException {
    byte[] preseed = request.preseed().getBytes(StandardCharsets.UTF_8);
    InitrdAppender appender = new InitrdAppender(request.sourceDateEpoch());
    byte[] segment = appender.segment(Map.of("preseed.cfg", preseed));
    String key =
        DerivedFiles.key(
            List.of(
                BootMenus.PRESEED_INITRD,
                installer.packageSha256(),
                FileStamp.of(installer.initrd()),
                Sha256.hex(segment)));
    Path initrd =
        derived.get(
            "initrd-" + request.arch().debianName(),
            key,
            target -> appender.write(installer.initrd(), segment, target));
    grafts.put("install/" + BootMenus.PRESEED_INITRD, initrd);
    grafts.put("install/vmlinuz", installer.kernel());
    Files.write(tree.resolve("debvisor/preseed.cfg"), preseed);
    if (request.agentDeb() != null) {
      grafts.put("debvisor/debvisor-agent.deb", request.agentDeb());
    }
    if (request.controllerCa() != null) {
      grafts.put("debvisor/controller-ca.pem", request.controllerCa());
    }
  }

  /** The image's kernel and installer initramfs, the image, and this node's answer and files. */
  private static void layOutImage(ImageInstall image, Path tree, Map<String, Path> grafts)
      throws IOException {
    InstallImage built = image.image();
    grafts.put("install/vmlinuz", built.kernel());
    grafts.put("install/" + BootMenus.IMAGE_INITRD, built.installerInitrd());
    grafts.put("debvisor/rootfs.tar.zst", built.rootfs());
    grafts.put("debvisor/manifest.tsv", built.manifest());
    grafts.put("debvisor/image.json", built.metadata());
    Files.writeString(tree.resolve("debvisor/install.conf"), image.installConf());
    Files.write(tree.resolve("debvisor/overlay.tar"), image.overlayTar());
  }

  private static List<String> xorriso(
      IsoBuildRequest request, Path tree, Map<String, Path> grafts, Path target) {
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
            target.toAbsolutePath().toString(),
            "-V",
            request.volumeId(),
            "-r",
            "-J",
            "-joliet-long",
            "-preparer",
            "DebVisor",
            "-publisher",
            "DebVisor",
            "--modification-date=" + date,
            // Grafted files keep their own dates otherwise.
            "--set_all_file_dates",
            date));
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
              grafts.get(EFI_IMAGE).toAbsolutePath().toString(),
              "-partition_cyl_align",
              "all"));
    }
    cmd.add("-graft-points");
    // xorriso runs in the build's work directory: paths the user gave relative to theirs would
    // name other files there.
    cmd.add("/=" + escape(tree.toAbsolutePath()));
    grafts.forEach((onIso, file) -> cmd.add(onIso + "=" + escape(file.toAbsolutePath())));
    return cmd;
  }

  /** A graft point's file name: xorriso reads {@code \\} and {@code \=} as literal characters. */
  static String escape(Path file) {
    return file.toString().replace("\\", "\\\\").replace("=", "\\=");
  }

  /** Replaces {@code target} with {@code source} atomically. */
  static void moveInto(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
