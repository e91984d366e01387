package org.debvisor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaPageTest {

  private final HaPage page = new HaPage("# HA\n\nHeader.\n");

  private static Map<String, String> sections(String... nameAndText) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < nameAndText.length; i += 2) {
      map.put(nameAndText[i], nameAndText[i + 1]);
    }
    return map;
  }

  @Test
  void aFullRunWritesEverySectionInPageOrderInsideTheSummary() {
    String written =
        page.write(
            "",
            sections(
                "ha-failover", "\n## Failover\n\nkill: 40 ms\n",
                "ha-register", "\n## Register\n\np99 20 ms\n"));

    assertThat(written)
        .startsWith("# HA\n\nHeader.\n\n" + OptInSection.START + "\n")
        .endsWith(OptInSection.END + "\n");
    assertThat(written.indexOf("## Register")).isLessThan(written.indexOf("## Failover"));
    assertThat(written.indexOf(OptInSection.START)).isLessThan(written.indexOf("## Register"));
    assertThat(written.indexOf("## Failover")).isLessThan(written.indexOf(OptInSection.END));
  }

  @Test
  void aPartialRunReplacesOnlyItsSectionAndKeepsTheOthersAndTheNotes() {
    String full =
        page.write(
                "",
                sections(
                    "ha-register", "## Register\n\np99 80 ms\n",
                    "ha-heartbeats-postgresql", "## Heartbeats\n\n0.5 cores\n",
                    "ha-failover", "## Failover\n\nkill: 40 ms\n"))
            + "\n## Notes (hand-written)\n\nA note.\n";

    String after = page.write(full, sections("ha-register", "## Register\n\np99 30 ms\n"));

    assertThat(after)
        .contains("p99 30 ms")
        .doesNotContain("p99 80 ms")
        .contains("## Heartbeats\n\n0.5 cores\n", "## Failover\n\nkill: 40 ms\n")
        .endsWith(OptInSection.END + "\n\n## Notes (hand-written)\n\nA note.\n");
    // Rewriting with the same figures changes nothing.
    assertThat(page.write(after, sections("ha-register", "## Register\n\np99 30 ms\n")))
        .isEqualTo(after);
  }

  @Test
  void aSectionFirstMeasuredNowGoesToItsPlace() {
    String registerOnly = page.write("", sections("ha-register", "## Register\n"));

    String after = page.write(registerOnly, sections("ha-heartbeats-sqlite", "## SQLite\n"));

    assertThat(after.indexOf("## Register")).isLessThan(after.indexOf("## SQLite"));
    assertThat(after.indexOf("## SQLite")).isLessThan(after.indexOf(OptInSection.END));
  }

  @Test
  void aSummaryFromBeforeTheMarkersIsReplacedWhole() {
    String old =
        "# HA\n\nOld header.\n\n"
            + OptInSection.START
            + "\n\n## RegisterNode on PostgreSQL\n\nold table\n"
            + OptInSection.END
            + "\n";

    String after = page.write(old, sections("ha-failover", "## Failover\n"));

    assertThat(after).doesNotContain("old table", "Old header").contains("## Failover");
  }

  @Test
  void theCheckedInPageIsInTheFormTheBenchmarkKeeps() throws IOException {
    // Surefire runs in the bench module; the page is docs/ha-benchmarks.md of the checkout.
    String page = Files.readString(Path.of("../docs/ha-benchmarks.md"));
    HaPage writer = new HaPage(HaBenchmark.HEADER);

    writer.check(page);
    assertThat(writer.write(page, Map.of())).isEqualTo(page);
    for (String section : HaPage.SECTIONS) {
      assertThat(page).contains(MarkedSections.open(section), MarkedSections.close(section));
    }
  }

  @Test
  void brokenMarkersAreRefusedBeforeARunNamingThem() {
    String broken =
        OptInSection.START + "\n" + MarkedSections.open("ha-register") + "\n" + OptInSection.END;

    assertThatThrownBy(() -> page.check(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ha-register");
  }
}
