package org.debvisor.controller.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.debvisor.agent.testing.AgentExposition;
import org.debvisor.common.testing.Promtool;
import org.debvisor.controller.buildmetrics.BuildOutcome;
import org.debvisor.controller.buildmetrics.BuildTextfile;
import org.debvisor.controller.server.ControllerExposition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files under {@code monitoring/} against the real endpoints: the alert rules pass {@code
 * promtool check rules} and their unit tests ({@code promtool test rules}); the Grafana dashboard
 * parses, and every expression in it and in the rules is valid PromQL that selects only metrics the
 * agent, the controller or the build textfile really expose.
 */
class MonitoringFilesTest {

  private static final Path MONITORING =
      Path.of(System.getProperty("debvisor.repoRoot", ".."))
          .toAbsolutePath()
          .normalize()
          .resolve("monitoring");
  private static final Path RULES = MONITORING.resolve("prometheus/debvisor-alerts.yml");
  private static final Path RULE_TESTS = MONITORING.resolve("prometheus/debvisor-alerts.test.yml");
  private static final Path DASHBOARD = MONITORING.resolve("grafana/debvisor-fleet.json");

  /**
   * Names the rules may use that the scraped endpoints do not expose: Prometheus's own {@code up},
   * the rollout engine's deployment metrics (SPEC §5; registered by controller/rollout), and the
   * leader lease's, which only controllers on PostgreSQL have (LeaseGaugesTest checks them).
   */
  private static final Set<String> EXTERNAL =
      Set.of(
          "up",
          "debvisor_deployment_status",
          "debvisor_deployment_rollback_total",
          "debvisor_controller_lease_age_seconds",
          "debvisor_controller_lease_period_seconds");

  private static Set<String> exposed;

  @BeforeAll
  static void scrapeTheRealEndpoints(@TempDir Path dir) throws Exception {
    assertThat(Promtool.installed()).as("promtool is missing: apt-get install prometheus").isTrue();
    Path textfile = dir.resolve("build.prom");
    new BuildTextfile(textfile)
        .record(new BuildOutcome("iso", "amd64", "debian13", 1, true, OptionalInt.of(1)));
    exposed = new TreeSet<>();
    for (String exposition :
        List.of(
            AgentExposition.scrape(Files.createDirectories(dir.resolve("agent"))),
            ControllerExposition.scrape(dir.resolve("controller")),
            Files.readString(textfile))) {
      exposition
          .lines()
          .filter(l -> !l.startsWith("#") && !l.isBlank())
          .map(l -> l.split("[{ ]", 2)[0])
          .forEach(exposed::add);
    }
  }

  @Test
  void rulesPassPromtoolCheck() throws Exception {
    Promtool.Result result = Promtool.checkRules(RULES);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: 11 rules found");
  }

  @Test
  void ruleUnitTestsPass() throws Exception {
    Promtool.Result result = Promtool.testRules(RULE_TESTS);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void everyAlertOfTheMatrixHasARuleAndAUnitTest() throws Exception {
    JsonNode rules = new YAMLMapper().readTree(RULES.toFile());
    JsonNode tests = new YAMLMapper().readTree(RULE_TESTS.toFile());
    Set<String> alerts = new TreeSet<>();
    rules
        .get("groups")
        .forEach(g -> g.get("rules").forEach(r -> alerts.add(r.get("alert").asText())));
    Set<String> tested = new TreeSet<>();
    tests
        .get("tests")
        .forEach(
            t -> t.get("alert_rule_test").forEach(a -> tested.add(a.get("alertname").asText())));

    assertThat(alerts)
        .contains(
            "DebvisorBuildFailureRateHigh",
            "DebvisorDeploymentFailed",
            "DebvisorClusterUnhealthy",
            "DebvisorRpcLatencyHigh",
            "DebvisorBuildSlow",
            "DebvisorAgentDown",
            "DebvisorCertificateExpiring",
            "DebvisorHeartbeatStale");
    assertThat(tested).isEqualTo(alerts);
  }

  @Test
  void rulesSelectOnlyExposedMetrics() throws Exception {
    JsonNode rules = new YAMLMapper().readTree(RULES.toFile());
    Map<String, Set<String>> unknown = new TreeMap<>();
    rules
        .get("groups")
        .forEach(
            g ->
                g.get("rules")
                    .forEach(
                        r ->
                            unknownNames(
                                r.get("alert").asText(), r.get("expr").asText(), unknown)));

    assertThat(unknown).isEmpty();
  }

  @Test
  void dashboardCoversTheFleetNodesRpcsAndEnrolments() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> rows = new ArrayList<>();
    dashboard
        .get("panels")
        .forEach(
            p -> {
              if (p.get("type").asText().equals("row")) {
                rows.add(p.get("title").asText());
              }
            });

    assertThat(dashboard.get("uid").asText()).isEqualTo("debvisor-fleet");
    assertThat(rows)
        .containsSubsequence("Fleet health", "Per-node subsystems", "RPC latency", "Enrolments");
    dashboard
        .get("panels")
        .forEach(
            p -> {
              if (!p.get("type").asText().equals("row")) {
                assertThat(p.get("targets")).as(p.get("title").asText()).isNotEmpty();
                assertThat(p.get("datasource").get("uid").asText()).isEqualTo("${datasource}");
              }
            });
  }

  @Test
  void dashboardQueriesSelectOnlyExposedMetrics() throws Exception {
    Map<String, String> queries = dashboardQueries();
    Map<String, Set<String>> unknown = new TreeMap<>();
    queries.forEach((where, expr) -> unknownNames(where, expr, unknown));

    assertThat(queries).hasSizeGreaterThan(15);
    assertThat(unknown).isEmpty();
  }

  @Test
  void dashboardQueriesAreValidPromql(@TempDir Path dir) throws Exception {
    // promtool has no offline query checker; as recording rules, every expression gets parsed.
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    int i = 0;
    for (String expr : dashboardQueries().values()) {
      if (expr.startsWith("label_values(")) {
        // Grafana's own function: check its selector.
        expr = expr.substring("label_values(".length(), expr.lastIndexOf(','));
      }
      rules
          .append("      - record: dashboard:query_")
          .append(i++)
          .append("\n        expr: '")
          .append(PromqlNames.forPrometheus(expr).replace("'", "''"))
          .append("'\n");
    }
    Path file = Files.writeString(dir.resolve("dashboard-rules.yml"), rules);

    Promtool.Result result = Promtool.checkRules(file);

    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  /** Every PromQL text in the dashboard (panel targets and variable queries) by where it is. */
  private static Map<String, String> dashboardQueries() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    Map<String, String> queries = new TreeMap<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.put(
            panel.get("title").asText() + " " + target.get("refId").asText(),
            target.get("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.get("templating").get("list")) {
      if (variable.get("type").asText().equals("query")) {
        queries.put(
            "variable " + variable.get("name").asText(),
            variable.get("query").get("query").asText());
      }
    }
    return queries;
  }

  private static void unknownNames(String where, String expr, Map<String, Set<String>> unknown) {
    String selector = expr;
    if (selector.startsWith("label_values(")) {
      selector = selector.substring("label_values(".length(), selector.lastIndexOf(','));
    }
    for (String name : PromqlNames.metricNames(selector)) {
      if (!exposed.contains(name) && !EXTERNAL.contains(name)) {
        unknown.computeIfAbsent(where, k -> new TreeSet<>()).add(name);
      }
    }
  }
}
