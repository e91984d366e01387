package org.debvisor.controller.image;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.Profile;

/** The packages every DebVisor image holds, plus those of its role profile. */
final class ImagePackages {

  /**
   * On every image: kernel and initramfs tools, systemd, SSH, Java for the agent, and the tools the
   * installer initramfs copies (fdisk, e2fsprogs, dosfstools, lvm2, zstd, busybox).
   */
  static final List<String> COMMON =
      List.of(
          "initramfs-tools",
          "systemd-sysv",
          "systemd-resolved",
          "udev",
          "kmod",
          "openssh-server",
          "openjdk-21-jre-headless",
          "sudo",
          "ca-certificates",
          "iproute2",
          "fdisk",
          "e2fsprogs",
          "dosfstools",
          "lvm2",
          "zstd",
          "busybox",
          // The image installer reports its progress to the controller with it.
          "curl",
          "grub2-common");

  private ImagePackages() {}

  /** The kernel and boot loader binaries of one architecture. */
  static List<String> forArchitecture(Architecture arch) {
    return switch (arch) {
      case AMD64 -> List.of("linux-image-amd64", "grub-pc-bin", "grub-efi-amd64-bin");
      case ARM64 -> List.of("linux-image-arm64", "grub-efi-arm64-bin");
    };
  }

  /** Everything mmdebstrap includes: common, architecture, then profile packages, no repeats. */
  public static List<String> includes(Architecture arch, Profile profile) {
    Set<String> all = new LinkedHashSet<>();
    all.addAll(forArchitecture(arch));
    all.addAll(COMMON);
    all.addAll(profile.packagesFor(arch));
    return List.copyOf(new ArrayList<>(all));
  }
}
