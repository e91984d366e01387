package org.debvisor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptInSectionTest {

  @TempDir Path dir;

  @Test
  void copiesTheSummaryBetweenTheMarkersOnly() throws Exception {
    Path file = dir.resolve("iso-benchmarks.md");
    Files.writeString(
        file,
        "# ISO\n\nintro\n<!-- summary:start -->\n| a | 1 |\n<!-- summary:end -->\n\nhand-written remarks\n");

    String section = OptInSection.ISO.from(file);

    assertThat(section)
        .startsWith("\n## ISO build and install (`bench/iso-run`, opt-in)\n")
        .contains("<!-- summary:start -->\n| a | 1 |\n<!-- summary:end -->\n")
        .doesNotContain("intro")
        .doesNotContain("hand-written remarks");
  }

  @Test
  void withoutMeasurementsItSaysHowToMakeThem() throws Exception {
    assertThat(OptInSection.ISO.from(dir.resolve("missing.md")))
        .contains("Not measured yet: run `bench/iso-run`");
    Path noMarkers = Files.writeString(dir.resolve("plain.md"), "# ISO\nhand-written\n");
    assertThat(OptInSection.ISO.from(noMarkers)).contains("No summary in plain.md");
    assertThat(OptInSection.IMAGE_INSTALL.from(dir.resolve("image-install-benchmarks.md")))
        .startsWith("\n## Image-mode install (`bench/image-iso-run`, opt-in)\n")
        .contains("Not measured yet: run `bench/image-iso-run` (10-20 min)");
  }
}
