package org.debvisor.controller.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.Profile;
import org.junit.jupiter.api.Test;

/** The package list: kernel and boot loaders per architecture, common tools, the profile's. */
class ImagePackagesTest {

  private final Profile hypervisor =
      new Profile(
          "hypervisor",
          "test",
          List.of(),
          List.of("libvirt-daemon-system", "openssh-server", "sudo"),
          Map.of("amd64", List.of("ovmf"), "arm64", List.of("qemu-efi-aarch64")),
          Map.of(),
          List.of());

  @Test
  void amd64GetsItsKernelBothGrubsAndTheProfilesAmd64Packages() {
    List<String> includes = ImagePackages.includes(Architecture.AMD64, hypervisor);

    assertThat(includes)
        .contains(
            "linux-image-amd64",
            "grub-pc-bin",
            "grub-efi-amd64-bin",
            "busybox",
            "curl",
            "openjdk-21-jre-headless",
            "libvirt-daemon-system",
            "ovmf")
        .doesNotContain("linux-image-arm64", "grub-efi-arm64-bin", "qemu-efi-aarch64");
  }

  @Test
  void arm64GetsItsKernelAndEfiGrubOnly() {
    List<String> includes = ImagePackages.includes(Architecture.ARM64, hypervisor);

    assertThat(includes)
        .contains("linux-image-arm64", "grub-efi-arm64-bin", "qemu-efi-aarch64")
        .doesNotContain("linux-image-amd64", "grub-pc-bin", "grub-efi-amd64-bin", "ovmf");
  }

  @Test
  void packagesNamedByTheProfileAndTheBaseAppearOnce() {
    List<String> includes = ImagePackages.includes(Architecture.AMD64, hypervisor);

    assertThat(includes).doesNotHaveDuplicates();
    assertThat(includes.stream().filter("sudo"::equals)).hasSize(1);
  }
}
