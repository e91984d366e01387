package org.debvisor.controller.iso;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.debvisor.controller.mirror.ArtifactCache;
import org.debvisor.controller.mirror.RecordingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DerivedFilesTest {

  @TempDir Path dir;

  private final List<String> steps = new ArrayList<>();
  private final AtomicInteger made = new AtomicInteger();

  private DerivedFiles.Maker maker() {
    return target -> {
      made.incrementAndGet();
      Files.writeString(target, "made from the inputs\n", StandardCharsets.UTF_8);
    };
  }

  private DerivedFiles files() {
    return new DerivedFiles(new ArtifactCache(dir), new RecordingProgress(steps));
  }

  @Test
  void aFileIsMadeOnceAndReusedWhileUnchanged() throws Exception {
    String key = DerivedFiles.key(List.of("efi.img", "inputs"));
    Path first = files().get("efi-amd64", key, maker());
    Path second = files().get("efi-amd64", key, maker());

    assertThat(second).isEqualTo(first);
    assertThat(made).hasValue(1);
    assertThat(Files.readString(second)).isEqualTo("made from the inputs\n");
    assertThat(steps).isEmpty();
  }

  @Test
  void otherInputsMakeAnotherFile() throws Exception {
    Path one = files().get("efi-amd64", DerivedFiles.key(List.of("a", "b")), maker());
    Path two = files().get("efi-amd64", DerivedFiles.key(List.of("a", "c")), maker());

    assertThat(two).isNotEqualTo(one);
    assertThat(made).hasValue(2);
  }

  @Test
  void anAlteredFileIsReportedByNameAndMadeAgainEvenWithItsOldSizeAndMtime() throws Exception {
    String key = DerivedFiles.key(List.of("initrd.gz", "inputs"));
    Path file = files().get("initrd-amd64", key, maker());
    FileTime mtime = Files.getLastModifiedTime(file);
    Files.writeString(file, "MADE FROM THE INPUTS\n", StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, mtime);

    Path again = files().get("initrd-amd64", key, maker());

    assertThat(again).isEqualTo(file);
    assertThat(made).hasValue(2);
    assertThat(Files.readString(again)).isEqualTo("made from the inputs\n");
    assertThat(steps)
        .singleElement()
        .asString()
        .startsWith("warning: " + file + " was altered after it was made")
        .contains("deleted and made again", "find what writes to " + dir.resolve("derived"));
  }

  @Test
  void anIntactFileWithANewStatIsCheckedAndKept() throws Exception {
    String key = DerivedFiles.key(List.of("efi.img", "inputs"));
    Path file = files().get("efi-amd64", key, maker());
    // Copied back (as a restored backup would be): a new inode and mtime, the same content.
    Path copy = dir.resolve("copy");
    Files.copy(file, copy);
    Files.move(copy, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    Path again = files().get("efi-amd64", key, maker());

    assertThat(again).isEqualTo(file);
    assertThat(made).hasValue(1);
    assertThat(steps).isEmpty();
  }

  @Test
  void aFileWithoutItsRecordIsMadeAgain() throws Exception {
    String key = DerivedFiles.key(List.of("efi.img", "inputs"));
    Path file = files().get("efi-amd64", key, maker());
    Files.delete(file.resolveSibling(key + ".verified"));

    files().get("efi-amd64", key, maker());

    assertThat(made).hasValue(2);
  }
}
