package org.debvisor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code bench/run --register-only} replaces only the RegisterNode section of the page. */
class RegisterSectionTest {

  private static final String NEW =
      "\n## Controller `debvisor.Controller/RegisterNode` (durable, certificate issued)\n\nnew rows\n";

  @Test
  void theRegisterSectionAndItsSubsectionsAreReplacedTheRestKept() {
    String page =
        "# Benchmarks\n\n## Agent `debvisor.Node/Status`\n\nagent rows\n"
            + "\n## Controller `debvisor.Controller/RegisterNode` (durable, certificate issued)\n\n"
            + "old rows\n\n### An older run\n\nolder rows\n"
            + "\n## Controller with 10000 simulated agents heartbeating\n\nheartbeat rows\n";

    String updated = RegisterSection.apply(page);

    assertThat(updated)
        .isEqualTo(
            "# Benchmarks\n\n## Agent `debvisor.Node/Status`\n\nagent rows\n"
                + NEW
                + "\n## Controller with 10000 simulated agents heartbeating\n\nheartbeat rows\n");
  }

  @Test
  void aPageWithoutTheSectionGetsItAtTheEnd() {
    assertThat(RegisterSection.apply("# Benchmarks\n")).isEqualTo("# Benchmarks\n" + NEW);
  }

  @Test
  void aSectionAtTheEndOfThePageIsReplacedToTheEnd() {
    String page =
        "# Benchmarks\n"
            + "\n## Controller `debvisor.Controller/RegisterNode` (durable, certificate issued)\n"
            + "\nold rows\n";

    assertThat(RegisterSection.apply(page)).isEqualTo("# Benchmarks\n" + NEW);
  }

  /** The method under test with this test's section. */
  private static final class RegisterSection {
    static String apply(String page) {
      return BenchmarkRunner.withRegisterSection(page, NEW);
    }
  }
}
