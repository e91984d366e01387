package org.debvisor.common.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplacedFileTest {

  @TempDir Path dir;

  @Test
  void replacesTheContentAndLeavesNoTemporaryFile() throws Exception {
    Path target = Files.writeString(dir.resolve("SHA256SUMS"), "old, and longer than the new\n");

    ReplacedFile.writeString(target, "new\n");

    assertThat(Files.readString(target)).isEqualTo("new\n");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void aTargetThatCannotBeReplacedKeepsItsContentAndNoTemporaryFileStays() throws Exception {
    // A non-empty directory cannot be renamed over.
    Path target = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(target.resolve("keep"), "x");

    assertThatThrownBy(() -> ReplacedFile.writeString(target, "new\n"))
        .isInstanceOf(IOException.class);

    assertThat(Files.readString(target.resolve("keep"))).isEqualTo("x");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }
}
