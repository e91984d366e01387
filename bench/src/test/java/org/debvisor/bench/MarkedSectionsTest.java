package org.debvisor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkedSectionsTest {

  private static final MarkedSections SECTIONS =
      new MarkedSections(List.of("run", "status", "config", "controller"));

  private static final String PAGE =
      """
      # Benchmarks

      <!-- bench:run -->
      Produced by `bench/run` on 2026-11-30.
      <!-- /bench:run -->

      _The Status section below is older than the rest._

      <!-- bench:status -->
      ## Status

      | closed loop | 23000 qps |
      <!-- /bench:status -->

      <!-- bench:config -->
      ## UpdateConfig

      | closed loop | p50 9.9 ms |
      <!-- /bench:config -->

      Quiet run of 2026-12-02: the target is not met.

      ### Durability cost (hand-written, with its own table)

      | before | 5.24 × |

      <!-- bench:controller -->
      ## Controller

      | RegisterNode | 256/s |
      <!-- /bench:controller -->

      ## ISO build and install (`bench/iso-run`, opt-in)

      <!-- summary:start -->
      | amd64 | 90 s |
      <!-- summary:end -->
      """;

  @Test
  void aRunOfOneSectionRewritesOnlyThatSection() {
    String updated =
        SECTIONS.update(
            PAGE, Map.of("config", "\n## UpdateConfig\n\n| closed loop | p50 2.2 ms |\n"));

    assertThat(updated)
        .isEqualTo(
            PAGE.replace("| closed loop | p50 9.9 ms |\n", "| closed loop | p50 2.2 ms |\n"));
    assertThat(updated)
        .contains("_The Status section below is older than the rest._\n")
        .contains("| closed loop | 23000 qps |\n")
        .contains("Quiet run of 2026-12-02: the target is not met.\n")
        .contains("| before | 5.24 × |\n")
        .contains("| RegisterNode | 256/s |\n")
        .endsWith("| amd64 | 90 s |\n<!-- summary:end -->\n");
  }

  @Test
  void aRunOfNothingButTheHeaderChangesNothingElse() {
    String updated = SECTIONS.update(PAGE, Map.of("run", "Produced by `bench/run --x` today.\n"));

    assertThat(updated)
        .isEqualTo(
            PAGE.replace(
                "Produced by `bench/run` on 2026-11-30.", "Produced by `bench/run --x` today."));
  }

  @Test
  void aSectionThePageLacksGoesBeforeTheNextOneItHas() {
    String page =
        PAGE.replace(
            PAGE.substring(
                PAGE.indexOf("<!-- bench:status -->"), PAGE.indexOf("<!-- bench:config -->")),
            "");

    String updated = SECTIONS.update(page, Map.of("status", "## Status\n\n| new | 1 |"));

    assertThat(updated)
        .contains(
            "<!-- bench:status -->\n## Status\n\n| new | 1 |\n<!-- /bench:status -->\n\n"
                + "<!-- bench:config -->\n")
        .contains("| closed loop | p50 9.9 ms |\n");
    assertThat(
            updated.replace(
                "<!-- bench:status -->\n## Status\n\n| new | 1 |\n<!-- /bench:status -->\n\n", ""))
        .isEqualTo(page);
  }

  @Test
  void aNewPageHasTheTitleTheSectionsInOrderThenTheOptInParts() {
    String page =
        SECTIONS.create(
            "Benchmarks",
            Map.of("config", "## UpdateConfig\n", "run", "Produced today.\n"),
            "\n## Image build (`bench/image-run`, opt-in)\n\nNot measured yet.\n");

    assertThat(page)
        .isEqualTo(
            """
            # Benchmarks

            <!-- bench:run -->
            Produced today.
            <!-- /bench:run -->

            <!-- bench:config -->
            ## UpdateConfig
            <!-- /bench:config -->

            ## Image build (`bench/image-run`, opt-in)

            Not measured yet.
            """);
  }

  @Test
  void brokenMarkersAreRefusedNamingTheSectionAndThePageIsLeftAsItWas() {
    String broken = PAGE.replace("<!-- /bench:config -->\n", "");
    String before = broken;

    assertThatThrownBy(() -> SECTIONS.update(broken, Map.of("status", "## Status\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("markers of section 'config' are broken")
        .hasMessageContaining("restore them");
    assertThat(broken).isEqualTo(before);

    String doubled = PAGE + "<!-- bench:status -->\n<!-- /bench:status -->\n";
    assertThatThrownBy(() -> SECTIONS.update(doubled, Map.of("run", "x")))
        .hasMessageContaining("markers of section 'status' are broken (2 ×");
  }

  @Test
  void aSectionWithoutAPlaceIsRefused() {
    assertThatThrownBy(() -> SECTIONS.update(PAGE, Map.of("heartbeats", "## Heartbeats\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no place for the section 'heartbeats'");
  }

  @Test
  void theProjectsPageHasEveryRunnerSectionAndAConfigOnlyRunKeepsTheRest() throws Exception {
    // Surefire runs in the bench module; the page is docs/benchmarks.md of the checkout.
    String page = Files.readString(Path.of("../docs/benchmarks.md"));

    String updated =
        BenchmarkRunner.SECTIONS.update(
            page,
            Map.of(
                "run", "Produced by a test.\n",
                "agent-update-config",
                    "## Agent `debvisor.Node/UpdateConfig` (durable applies)\n"));

    for (String name : BenchmarkRunner.SECTIONS.order()) {
      if (!name.equals("bundle-validation")) { // not measured since the markers came
        assertThat(page).as(name).contains(MarkedSections.open(name), MarkedSections.close(name));
      }
    }
    assertThat(withoutSections(updated, "run", "agent-update-config"))
        .isEqualTo(withoutSections(page, "run", "agent-update-config"));
    assertThat(updated).contains("Produced by a test.").contains("Quiet run of 2026-12-02");
  }

  /** The page with the given sections' contents (not their markers) cut out. */
  private static String withoutSections(String page, String... names) {
    String text = page;
    for (String name : names) {
      int from = text.indexOf(MarkedSections.open(name));
      int to = text.indexOf(MarkedSections.close(name));
      text = text.substring(0, from) + text.substring(to);
    }
    return text;
  }
}
