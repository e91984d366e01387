package org.debvisor.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The installer initramfs configuration is written whole, with hooks and scripts executable. */
class InstallerInitramfsConfigTest {

  @TempDir Path dir;

  @Test
  void writesEveryFileWithItsMode() throws Exception {
    Path conf = new InstallerInitramfsConfig().writeTo(dir.resolve("conf"));

    for (String name : InstallerInitramfsConfig.FILES) {
      try (InputStream in =
          InstallerInitramfsConfig.class.getResourceAsStream(
              InstallerInitramfsConfig.RESOURCE_DIR + name)) {
        assertThat(Files.readAllBytes(conf.resolve(name))).isEqualTo(in.readAllBytes());
      }
    }
    assertThat(Files.getPosixFilePermissions(conf.resolve("hooks/debvisor-installer")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(Files.getPosixFilePermissions(conf.resolve("scripts/debvisor")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(Files.getPosixFilePermissions(conf.resolve("initramfs.conf")))
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(conf.resolve("initramfs.conf")).content().contains("BUSYBOX=y");
  }

  @Test
  void aMissingFileIsNamed() {
    InstallerInitramfsConfig broken =
        new InstallerInitramfsConfig(
            "a test source", name -> name.equals("modules") ? null : InputStream.nullInputStream());

    assertThatThrownBy(() -> broken.writeTo(dir.resolve("conf")))
        .isInstanceOf(ImageBuildException.class)
        .hasMessageContaining("the installer initramfs file modules is missing from a test source");
  }
}
