package org.debvisor.controller.iso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.debvisor.controller.preseed.Architecture;
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
        .doesNotContain("ttyS0");
  }

  @Test
  void theEfiBootstrapFindsTheIsoByItsMarker() throws Exception {
    assertThat(menus.grubEfiBootstrap())
        .contains("search --file --set=root /.disk/debvisor")
        .contains("configfile $prefix/grub.cfg");
  }

  @Test
  void anUnfilledPlaceholderIsAnError(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("grub.cfg"), "linux @KERNEL@\n");

    assertThatThrownBy(() -> new BootMenus(new IsoTemplates(dir)).grub(Architecture.AMD64, "ceph"))
        .hasMessageContaining("iso/grub.cfg: a placeholder was left unfilled");
  }
}
