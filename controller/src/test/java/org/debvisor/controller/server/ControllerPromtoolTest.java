package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.debvisor.common.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller process's real /metrics passes {@code promtool check metrics}; the one finding
 * left is the operations matrix's own name {@code debvisor_node_count}, a gauge whose {@code
 * _count} suffix promtool reserves for histograms (kept because the matrix and dashboards use it).
 */
class ControllerPromtoolTest {

  /** promtool's finding for the matrix-mandated name, word for word. */
  static final String NODE_COUNT_FINDING =
      "debvisor_node_count non-histogram and non-summary metrics should not have \"_count\" suffix";

  @TempDir Path state;

  @Test
  void promtoolFindsOnlyTheMatrixNodeCountName() throws Exception {
    assertThat(Promtool.installed())
        .as("promtool is missing: apt-get install prometheus (see scripts/lib/packages.sh)")
        .isTrue();
    String exposition = ControllerExposition.scrape(state);

    Promtool.Result result = Promtool.checkMetrics(exposition);

    assertThat(result.lines()).containsExactly(NODE_COUNT_FINDING);
    assertThat(exposition)
        .contains("debvisor_node_count{cluster=\"lab\"} 0.0")
        .contains("debvisor_cluster_health{cluster=\"lab\",status=\"unknown\"} 1.0")
        .contains("debvisor_cluster_health{cluster=\"lab\",status=\"ok\"} 0.0")
        .contains("debvisor_nodes_stale{cluster=\"lab\"} 0.0")
        .contains("debvisor_rpc_request_duration_seconds_bucket{")
        .contains("method=\"debvisor.Controller/CreateBootstrapToken\"")
        .contains("process_cpu_seconds_total ")
        .doesNotContain("process_cpu_time_ns_total");
  }
}
