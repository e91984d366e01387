package org.debvisor.controller.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The name extraction the dashboard and rule checks rely on. */
class PromqlNamesTest {

  @Test
  void findsSelectedMetricsButNotFunctionsLabelsOrGrafanaVariables() {
    String expr =
        "histogram_quantile(0.99, sum by (job, method, le) (rate("
            + "debvisor_rpc_request_duration_seconds_bucket{method!~\".*/(Watch|x)\","
            + "instance=~\"$instance\"}[$__rate_interval]))) > 1e0 and on (job) up == 1";

    assertThat(PromqlNames.metricNames(expr))
        .containsExactly("debvisor_rpc_request_duration_seconds_bucket", "up");
  }

  @Test
  void arithmeticAndSetOperatorsBetweenSelectors() {
    String expr =
        "max by (cluster) (a_metric{status=\"error\"} * 3 or b_metric unless c_metric offset 5m)"
            + " / count(d_metric == 0) - time()";

    assertThat(PromqlNames.metricNames(expr))
        .containsExactly("a_metric", "b_metric", "c_metric", "d_metric");
  }

  @Test
  void grafanaVariablesBecomeValuesPrometheusParses() {
    assertThat(PromqlNames.forPrometheus("rate(x{i=~\"$instance\"}[$__rate_interval])"))
        .isEqualTo("rate(x{i=~\".*\"}[5m])");
  }
}
