package org.debvisor.controller.iso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.debvisor.controller.mirror.NetbootInstaller;
import org.debvisor.controller.node.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootMenusTest {

  private final BootMenus menus = new BootMenus(new IsoTemplates(null));

  @Test
  void amd64MenusBootTheInstallerUnattendedOnTheSerialConsole() throws Exception {
    String isolinux = menus.isolinux(Architecture.AMD64, "ceph");
    String grub = menus.grub(Architecture.AMD64, "ceph");

    for (String menu : new String[] {isolinux, grub}) {
      assertThat(menu)
          .contains("/install/vmlinuz")
          .contains("/install/initrd.gz")
          .contains("auto=true priority=critical preseed/file=/preseed.cfg")
          .contains("console=ttyS0,115200n8")
          .contains("(amd64, ceph)")
          .doesNotContain("@");
    }
    assertThat(isolinux).contains("serial 0 115200").contains("append initrd=/install/initrd.gz");
  }

  @Test
  void arm64UsesThePl011Console() throws Exception {
    assertThat(menus.grub(Architecture.ARM64, "k8s"))
        .contains("console=ttyAMA0,115200n8")
        .doesNotContain("ttyS0")
        .doesNotContain("serial --unit")
        .doesNotContain("terminal_output console serial");
    assertThat(menus.grub(Architecture.AMD64, "k8s"))
        .contains("serial --unit=0 --speed=115200\nterminal_input console serial\n");
  }

  @Test
  void theEfiBootstrapFindsTheIsoByItsMarker() throws Exception {
    assertThat(menus.grubEfiBootstrap("/.disk/id/0a1b"))
        .contains("search --file --set=root /.disk/id/0a1b\n")
        .contains("set prefix=($root)/boot/grub\n")
        .contains("configfile $prefix/grub.cfg");
  }

  @Test
  void theMarkerIsStableForEqualInputsAndDiffersWhenThePreseedDiffers() {
    NetbootInstaller installer =
        new NetbootInstaller(
            Architecture.AMD64, "v1", "ab".repeat(32), "test", null, null, null, null);
    String one = BootMenus.marker(request("d-i a string b\n"), installer);

    assertThat(one)
        .matches("/\\.disk/id/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(BootMenus.marker(request("d-i a string b\n"), installer)).isEqualTo(one);
    assertThat(BootMenus.marker(request("d-i a string c\n"), installer)).isNotEqualTo(one);
  }

  private static IsoBuildRequest request(String preseed) {
    return new IsoBuildRequest(
        Architecture.AMD64, "ceph", "n1", preseed, "v1", null, Path.of("out"), 0L);
  }

  @Test
  void anUnfilledPlaceholderIsAnError(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("grub.cfg"), "linux @KERNEL@\n");

    assertThatThrownBy(() -> new BootMenus(new IsoTemplates(dir)).grub(Architecture.AMD64, "ceph"))
        .hasMessageContaining("iso/grub.cfg: a placeholder was left unfilled");
  }
}
