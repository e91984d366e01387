package org.debvisor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.debvisor.bench.HaBenchmark.Engine;
import org.debvisor.bench.HaBenchmark.Options;
import org.debvisor.bench.HaBenchmark.Part;
import org.debvisor.controller.server.ControllerSettings;
import org.junit.jupiter.api.Test;

class HaBenchmarkOptionsTest {

  @Test
  void defaultsAreTheIssuesSizes() {
    Options o = Options.parse(new String[0]);

    assertThat(o.nodes()).isEqualTo(10_000);
    assertThat(o.heartbeatSeconds()).isEqualTo(60);
    assertThat(o.failoverRuns()).isEqualTo(5);
    // The controller's own default: the failover rows measure what an operator gets.
    assertThat(o.leasePeriod())
        .isEqualTo(ControllerSettings.DEFAULT_LEASE_PERIOD.toSeconds() + "s");
    assertThat(o.registerRates()).containsExactly(500);
    // Past the JIT's full optimisation of per-enrolment methods (about 5000 calls).
    assertThat(o.registerWarmup()).isEqualTo(6_000);
    assertThat(o.parts()).containsExactly(Part.values());
    assertThat(o.engines()).containsExactly(Engine.values());
    assertThat(o.needsPostgres()).isTrue();
    assertThat(o.controllerJavaOptions()).isEmpty();
  }

  @Test
  void controllerJavaOptionsAreKeptInOrder() {
    Options o =
        Options.parse(
            new String[] {
              "--controller-java-option", "-XX:StartFlightRecording=filename=/tmp/c-%p.jfr",
              "--parts", "register",
              "--controller-java-option", "-Xlog:gc"
            });

    assertThat(o.controllerJavaOptions())
        .containsExactly("-XX:StartFlightRecording=filename=/tmp/c-%p.jfr", "-Xlog:gc");
    assertThatThrownBy(() -> Options.parse(new String[] {"--controller-java-option"}))
        .hasMessage("--controller-java-option needs a value");
  }

  @Test
  void theRegisterWarmUpMayBeOffButNotNegative() {
    assertThat(Options.parse(new String[] {"--register-warmup", "0"}).registerWarmup()).isZero();
    assertThatThrownBy(() -> Options.parse(new String[] {"--register-warmup", "-1"}))
        .hasMessageContaining("--register-warmup");
  }

  @Test
  void smallRunsForALoadedMachine() {
    Options o =
        Options.parse(
            new String[] {
              "--nodes", "500", "--heartbeat-seconds", "20", "--failover-runs", "3",
              "--parts", "heartbeats", "--engines", "sqlite", "--register-rates", "100,500"
            });

    assertThat(o.nodes()).isEqualTo(500);
    assertThat(o.heartbeatSeconds()).isEqualTo(20);
    assertThat(o.failoverRuns()).isEqualTo(3);
    assertThat(o.registerRates()).containsExactly(100, 500);
    assertThat(o.parts()).containsExactly(Part.heartbeats);
    assertThat(o.needsPostgres()).as("SQLite heartbeats alone start no PostgreSQL").isFalse();
  }

  @Test
  void badValuesAreRefusedNamingTheOptionAndWhatIsAllowed() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--nodes", "1"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--nodes 1 is out of range; use 2 to 50000");
    assertThatThrownBy(() -> Options.parse(new String[] {"--failover-runs", "five"}))
        .hasMessage("--failover-runs takes a whole number, not 'five'");
    assertThatThrownBy(() -> Options.parse(new String[] {"--parts", "heartbeats,scale"}))
        .hasMessage("--parts: unknown name in 'heartbeats,scale'");
    assertThatThrownBy(() -> Options.parse(new String[] {"--nodes"}))
        .hasMessage("--nodes needs a value");
    assertThatThrownBy(() -> Options.parse(new String[] {"--agents", "10"}))
        .hasMessageStartingWith("unknown option --agents");
  }

  @Test
  void theFailoverMedianIsTheMiddleRun() {
    assertThat(FailoverBench.median(List.of(900L, 40L, 2100L, 1800L, 1700L))).isEqualTo(1700);
    assertThat(FailoverBench.median(List.of(30L, 10L))).isEqualTo(10);
  }
}
