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

  @Test
  void updateInReplacesTheWholeSummaryEvenWithHeadingsInsideAndKeepsWhatFollows() throws Exception {
    Files.writeString(
        dir.resolve("ha-benchmarks.md"),
        "<!-- summary:start -->\n## RegisterNode on PostgreSQL\n| new | 2 |\n<!-- summary:end -->\n");
    Path benchmarks = dir.resolve("benchmarks.md");
    String before = "# Benchmarks\n\n<!-- bench:run -->\nProduced today.\n<!-- /bench:run -->\n";
    String after = "\n## Backup and restore of 10 000 nodes (`bench/backup-run`, opt-in)\n\nold\n";
    Files.writeString(
        benchmarks,
        before
            + "\n## Controller scale and failover on PostgreSQL (`bench/ha-run`, opt-in)\n\n"
            + "<!-- summary:start -->\n## RegisterNode on PostgreSQL\n| old | 1 |\n"
            + "## Failover\n| old | 3 |\n<!-- summary:end -->\n"
            + after);

    OptInSection.HA.updateIn(benchmarks, OptInSection.BACKUP);

    assertThat(Files.readString(benchmarks))
        .isEqualTo(before + OptInSection.HA.from(dir) + after)
        .contains("| new | 2 |")
        .doesNotContain("| old |");
  }
}
