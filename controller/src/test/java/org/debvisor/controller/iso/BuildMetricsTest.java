package org.debvisor.controller.iso;

import static org.assertj.core.api.Assertions.assertThat;

import org.debvisor.common.testing.Promtool;
import org.junit.jupiter.api.Test;

/** The ISO build's own exposition: what Micrometer wrote before, checked by promtool. */
class BuildMetricsTest {

  @Test
  void writesTheThreeGaugesOfTheLastBuild() {
    BuildMetrics metrics = new BuildMetrics();
    metrics.record("amd64", 2.5, false, 3);
    metrics.record("arm64", 12.25, true, 8);

    assertThat(metrics.scrape())
        .isEqualTo(
            """
            # HELP debvisor_build_duration_seconds Wall time of the ISO build
            # TYPE debvisor_build_duration_seconds gauge
            debvisor_build_duration_seconds{arch="arm64",os="debian13"} 12.25
            # HELP debvisor_build_package_count Packages the preseed installs plus packages on the media
            # TYPE debvisor_build_package_count gauge
            debvisor_build_package_count{arch="arm64",os="debian13"} 8.0
            # HELP debvisor_build_status 1 when the last build succeeded, 0 when it failed
            # TYPE debvisor_build_status gauge
            debvisor_build_status{arch="arm64",os="debian13"} 1.0
            """);
  }

  @Test
  void nothingBeforeABuildIsRecorded() {
    BuildMetrics metrics = new BuildMetrics();

    assertThat(metrics.scrape()).isEmpty();
    assertThat(metrics.outcome()).isEmpty();
  }

  @Test
  void promtoolParsesItAndLintsOnlyTheEstablishedName() throws Exception {
    assertThat(Promtool.installed()).as("promtool is missing: apt-get install prometheus").isTrue();
    BuildMetrics metrics = new BuildMetrics();
    metrics.record("amd64", 0.000125, true, 1);

    Promtool.Result result = Promtool.checkMetrics(metrics.scrape());

    // The only finding is the lint on a name the dashboards and textfiles already use (it was
    // the same when Micrometer wrote the file).
    assertThat(result.lines())
        .as(result.output())
        .isNotEmpty()
        .allMatch(l -> l.startsWith("debvisor_build_package_count non-histogram"));
  }
}
