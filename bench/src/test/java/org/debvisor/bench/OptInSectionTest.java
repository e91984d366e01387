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
    Files.writeString(
        dir.resolve("iso-benchmarks.md"),
        "# ISO\n\nintro\n<!-- summary:start -->\n| a | 1 |\n<!-- summary:end -->\n\nhand-written remarks\n");

    String section = OptInSection.ISO.from(dir);

    assertThat(section)
        .startsWith("\n## ISO build and install (`bench/iso-run`, opt-in)\n")
        .contains("<!-- summary:start -->\n| a | 1 |\n<!-- summary:end -->\n")
        .doesNotContain("intro")
        .doesNotContain("hand-written remarks");
  }

  @Test
  void eachSectionReadsItsOwnPage() throws Exception {
    Files.writeString(
        dir.resolve("image-benchmarks.md"),
        "<!-- summary:start -->\n| amd64 | 90 |\n<!-- summary:end -->\n");

    assertThat(OptInSection.IMAGE.from(dir))
        .startsWith("\n## Image build (`bench/image-run`, opt-in)\n")
        .contains("[image-benchmarks.md](image-benchmarks.md)")
        .contains("| amd64 | 90 |");
    assertThat(OptInSection.ISO.from(dir)).contains("Not measured yet: run `bench/iso-run`");
    assertThat(OptInSection.IMAGE_INSTALL.from(dir))
        .startsWith("\n## Image-mode install (`bench/image-iso-run`, opt-in)\n")
        .contains("Not measured yet: run `bench/image-iso-run` (10-20 min)");
  }

  @Test
  void withoutMeasurementsItSaysHowToMakeThem() throws Exception {
    assertThat(OptInSection.ISO.from(dir)).contains("Not measured yet: run `bench/iso-run`");
    Files.writeString(dir.resolve("iso-benchmarks.md"), "# ISO\nhand-written\n");
    assertThat(OptInSection.ISO.from(dir)).contains("No summary in iso-benchmarks.md");
  }
}
