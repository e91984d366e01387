package org.debvisor.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.debvisor.agent.testing.AgentExposition;
import org.debvisor.common.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's real /metrics, with every meter family present (enrolled link, a collector, a served
 * RPC), passes {@code promtool check metrics} without a finding.
 */
class AgentPromtoolTest {

  @TempDir Path dir;

  @Test
  void promtoolFindsNothingInTheAgentsExposition() throws Exception {
    assertThat(Promtool.installed())
        .as("promtool is missing: apt-get install prometheus (see scripts/lib/packages.sh)")
        .isTrue();
    String exposition = AgentExposition.scrape(dir);

    Promtool.Result result = Promtool.checkMetrics(exposition);

    assertThat(result.lines()).as("promtool's findings").isEmpty();
    assertThat(result.exitCode()).isZero();
    assertThat(exposition)
        .contains("debvisor_rpc_request_duration_seconds_bucket{")
        .contains("method=\"debvisor.Node/Status\"")
        .contains("debvisor_cluster_health{subsystem=\"kubernetes\"}")
        .contains("debvisor_agent_certificate_not_after_seconds ")
        .contains("debvisor_agent_heartbeats_total ")
        .contains("process_cpu_seconds_total ")
        .contains("system_cpu_available ")
        .doesNotContain("process_cpu_time_ns_total")
        .doesNotContain("system_cpu_count");
  }

  @Test
  void promtoolRejectsTheNamesMicrometerWouldUseUnfiltered() throws Exception {
    // Guards the test above: promtool really flags the raw binder names this module renames.
    String raw =
        "# HELP process_cpu_time_ns_total x\n# TYPE process_cpu_time_ns_total counter\n"
            + "process_cpu_time_ns_total 5.0\n"
            + "# HELP system_cpu_count x\n# TYPE system_cpu_count gauge\nsystem_cpu_count 2.0\n";

    Promtool.Result result = Promtool.checkMetrics(raw);

    assertThat(result.lines())
        .anySatisfy(l -> assertThat(l).startsWith("process_cpu_time_ns_total"))
        .anySatisfy(l -> assertThat(l).startsWith("system_cpu_count"));
  }
}
