package org.debvisor.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** manifest.tsv: three tab-separated fields per line, sorted, not empty. */
class ImageManifestTest {

  @Test
  void readsSortedLines() throws Exception {
    ImageManifest manifest =
        ImageManifest.parse(
            "m",
            "base-files\t13.8\tamd64\ndebvisor-agent\t0.1.0~SNAPSHOT\tall\nzstd\t1.5.7\tamd64\n");

    assertThat(manifest.packages()).hasSize(3);
    assertThat(manifest.find("debvisor-agent"))
        .contains(new ImageManifest.Package("debvisor-agent", "0.1.0~SNAPSHOT", "all"));
    assertThat(manifest.find("absent")).isEmpty();
  }

  @Test
  void refusesALineWithoutThreeFields() {
    assertThatThrownBy(() -> ImageManifest.parse("m", "base-files\t13.8\n"))
        .isInstanceOf(ImageBuildException.class)
        .hasMessageContaining("m line 1: expected package<TAB>version<TAB>architecture");
  }

  @Test
  void refusesAnEmptyField() {
    assertThatThrownBy(() -> ImageManifest.parse("m", "a\t1\tall\nb\t\tall\n"))
        .hasMessageContaining("m line 2: expected package<TAB>version<TAB>architecture");
  }

  @Test
  void refusesUnsortedOrRepeatedLines() {
    assertThatThrownBy(() -> ImageManifest.parse("m", "b\t1\tall\na\t1\tall\n"))
        .hasMessageContaining("m line 2: not sorted or repeated");
    assertThatThrownBy(() -> ImageManifest.parse("m", "a\t1\tall\na\t1\tall\n"))
        .hasMessageContaining("not sorted or repeated");
  }

  @Test
  void refusesAnEmptyManifest() {
    assertThatThrownBy(() -> ImageManifest.parse("m", "\n"))
        .hasMessageContaining("m lists no packages");
  }
}
