package org.debvisor.controller.buildmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.debvisor.common.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The textfile-collector file: counters carry over, other builds' series stay, writes are whole.
 */
class BuildTextfileTest {

  /** promtool's finding for the operations matrix's own name, word for word. */
  static final String PACKAGE_COUNT_FINDING =
      "debvisor_build_package_count non-histogram and non-summary metrics should not have"
          + " \"_count\" suffix";

  @TempDir Path dir;

  private static BuildOutcome iso(boolean ok, double seconds) {
    return new BuildOutcome("iso", "amd64", "debian13", seconds, ok, OptionalInt.of(3));
  }

  @Test
  void countsBuildsAndFailuresAcrossRunsAndKeepsOtherBuilds() throws Exception {
    Path file = dir.resolve("debvisor-build.prom");
    BuildTextfile textfile = new BuildTextfile(file);

    textfile.record(iso(true, 100));
    textfile.record(
        new BuildOutcome("image", "arm64", "debian13", 2400.5, true, OptionalInt.empty()));
    textfile.record(iso(false, 12.25));

    String content = Files.readString(file);
    String iso = "{arch=\"amd64\",artifact=\"iso\",os=\"debian13\"}";
    String image = "{arch=\"arm64\",artifact=\"image\",os=\"debian13\"}";
    assertThat(content)
        .contains("debvisor_builds_total" + iso + " 2.0\n")
        .contains("debvisor_build_failures_total" + iso + " 1.0\n")
        .contains("debvisor_build_status" + iso + " 0.0\n")
        .contains("debvisor_build_duration_seconds" + iso + " 12.25\n")
        .contains("debvisor_build_package_count" + iso + " 3.0\n")
        .contains("debvisor_builds_total" + image + " 1.0\n")
        .contains("debvisor_build_failures_total" + image + " 0.0\n")
        .contains("debvisor_build_duration_seconds" + image + " 2400.5\n")
        .doesNotContain("debvisor_build_package_count" + image);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).as("no temporary file left behind").containsExactly(file);
    }
  }

  @Test
  void theFilePassesPromtoolExceptForTheMatrixPackageCountName() throws Exception {
    assertThat(Promtool.installed()).as("promtool is missing: apt-get install prometheus").isTrue();
    Path file = dir.resolve("debvisor-build.prom");
    new BuildTextfile(file).record(iso(true, 100));
    new BuildTextfile(file).record(iso(false, 5));

    Promtool.Result result = Promtool.checkMetrics(Files.readString(file));

    assertThat(result.lines()).containsExactly(PACKAGE_COUNT_FINDING);
  }

  @Test
  void aTargetThatIsADirectoryIsRefusedByNameAndLeftAlone() throws Exception {
    Path target = Files.createDirectories(dir.resolve("metrics.prom"));
    Files.writeString(target.resolve("keep"), "x");

    assertThatThrownBy(() -> new BuildTextfile(target).record(iso(true, 1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(target.toString());

    assertThat(Files.readString(target.resolve("keep"))).isEqualTo("x");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(target);
    }
  }

  @Test
  void aNegativeDurationIsRefused() {
    assertThatThrownBy(() -> iso(true, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }
}
