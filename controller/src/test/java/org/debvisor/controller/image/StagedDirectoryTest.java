package org.debvisor.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output directory is replaced in one rename, or not at all. */
class StagedDirectoryTest {

  @TempDir Path dir;

  private Path oldImage() throws Exception {
    Path out = Files.createDirectory(dir.resolve("out"));
    Files.writeString(out.resolve("image.json"), "old");
    return out;
  }

  private long entries() throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.count();
    }
  }

  @Test
  void commitReplacesTheOldImageAndLeavesNothingBeside() throws Exception {
    Path out = oldImage();

    try (StagedDirectory staged = StagedDirectory.create(out)) {
      assertThat(staged.path().getParent()).isEqualTo(dir);
      assertThat(staged.path().getFileName().toString()).startsWith("out.tmp-");
      Files.writeString(staged.path().resolve("image.json"), "new");
      staged.commit();
    }

    assertThat(out.resolve("image.json")).hasContent("new");
    assertThat(entries()).isEqualTo(1);
    assertThat(Files.getPosixFilePermissions(out))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void withoutCommitTheStagingGoesAndTheOldImageStays() throws Exception {
    Path out = oldImage();

    try (StagedDirectory staged = StagedDirectory.create(out)) {
      Files.writeString(staged.path().resolve("rootfs.tar"), "half");
    }

    assertThat(out.resolve("image.json")).hasContent("old");
    assertThat(entries()).isEqualTo(1);
  }

  @Test
  void onlyANewAnEmptyOrAnImageDirectoryMayBeReplaced() throws Exception {
    StagedDirectory.checkReplaceable(dir.resolve("new"));
    StagedDirectory.checkReplaceable(Files.createDirectory(dir.resolve("empty")));
    StagedDirectory.checkReplaceable(oldImage());

    Path home = Files.createDirectory(dir.resolve("home"));
    Files.writeString(home.resolve("notes.txt"), "keep me");
    assertThatThrownBy(() -> StagedDirectory.checkReplaceable(home))
        .hasMessageContaining("--out " + home + " exists and is not an image directory");
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> StagedDirectory.checkReplaceable(file))
        .hasMessageContaining("exists and is not a directory");
    assertThat(home.resolve("notes.txt")).hasContent("keep me");
  }
}
