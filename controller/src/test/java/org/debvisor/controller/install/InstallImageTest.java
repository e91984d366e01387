package org.debvisor.controller.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.debvisor.common.digest.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallImageTest {

  @TempDir Path dir;

  @Test
  void opensAVerifiedImageDirectory() throws Exception {
    Path image =
        ImageDirFixture.write(dir.resolve("img"), "amd64", "ceph", List.of("ceph-common", "sudo"));

    InstallImage opened = InstallImage.open(image);

    assertThat(opened.arch()).isEqualTo("amd64");
    assertThat(opened.profile()).isEqualTo("ceph");
    assertThat(opened.packages()).containsExactlyInAnyOrder("ceph-common", "sudo");
    assertThat(opened.rootfsSha256()).isEqualTo(Sha256.hex(image.resolve("rootfs.tar.zst")));
  }

  @Test
  void aChangedFileIsCaughtBySha256Sums() throws Exception {
    Path image = ImageDirFixture.write(dir.resolve("img"), "amd64", "ceph", List.of());
    Files.writeString(image.resolve("installer.img"), "tampered");

    assertThatThrownBy(() -> InstallImage.open(image))
        .isInstanceOf(InstallImageException.class)
        .hasMessageContaining("installer.img does not match SHA256SUMS")
        .hasMessageContaining("debvisor image build --out " + image);
  }

  @Test
  void missingPiecesAreNamed() throws Exception {
    assertThatThrownBy(() -> InstallImage.open(dir.resolve("nothing")))
        .hasMessageContaining("is not a directory (make one with debvisor image build)");
    Path image = ImageDirFixture.write(dir.resolve("img"), "amd64", "ceph", List.of());
    Files.delete(image.resolve("vmlinuz"));
    assertThatThrownBy(() -> InstallImage.open(image)).hasMessageContaining("vmlinuz is missing");
    Files.delete(image.resolve("SHA256SUMS"));
    assertThatThrownBy(() -> InstallImage.open(image))
        .hasMessageContaining("SHA256SUMS is missing");
  }
}
