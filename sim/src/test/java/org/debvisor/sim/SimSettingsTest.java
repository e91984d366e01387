package org.debvisor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimSettingsTest {

  private static SimSettings settings(int agents) {
    return SimSettings.of("127.0.0.1", 5443, Path.of("ca.pem"), agents, "sim-t");
  }

  @Test
  void nodeIdsAreNumberedFromOne() {
    assertThat(settings(3).nodeId(0)).isEqualTo("sim-t-0001");
    assertThat(settings(3).nodeId(16)).isEqualTo("sim-t-0017");
  }

  @Test
  void badSettingsSayWhatIsAllowed() {
    assertThatThrownBy(() -> settings(0)).hasMessage("--agents must be between 1 and 5000, got 0");
    assertThatThrownBy(() -> SimSettings.of("h", 5443, Path.of("c"), 1, "Bad_Prefix"))
        .hasMessageContaining("must be 1-42 characters of a-z, 0-9 and '-'");
    assertThatThrownBy(() -> settings(1).withHeartbeatInterval(Duration.ofMillis(5)))
        .hasMessageStartingWith("heartbeat interval must be between 100 ms and 1 h");
    assertThatThrownBy(() -> FaultSettings.none().withGateFailFraction(1.5))
        .hasMessageStartingWith("gate failure fraction must be between 0 and 1");
    assertThatThrownBy(
            () -> FaultSettings.none().withApplyDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageStartingWith("apply delay must be 0 or more with min <= max");
    assertThatThrownBy(() -> settings(1).withOsdsPerAgent(-1))
        .hasMessage("--ceph-osds must be between 0 and 64 per agent, got -1");
    assertThatThrownBy(() -> FaultSettings.none().withNotOkToStopFraction(2))
        .hasMessageStartingWith("not-ok-to-stop fraction must be between 0 and 1");
  }

  @Test
  void agentsHostConsecutiveOsdIds() {
    SimSettings s = settings(3).withOsdsPerAgent(2);

    assertThat(s.osdIds(0)).containsExactly(0, 1);
    assertThat(s.osdIds(2)).containsExactly(4, 5);
    assertThat(settings(3).osdIds(1)).isEmpty();
  }

  @Test
  void faultSharesBecomeExactCountsChosenByTheSeed() {
    SimSettings s =
        settings(200)
            .withFaults(
                FaultSettings.none()
                    .withGateFailFraction(0.05)
                    .withDieMidApplyFraction(0.01)
                    .withNotOkToStopFraction(0.02))
            .withSeed(42);

    List<AgentFaults> spread = SimFleet.spread(s);

    assertThat(spread).hasSize(200);
    assertThat(spread.stream().filter(AgentFaults::gateFails).count()).isEqualTo(10);
    assertThat(spread.stream().filter(AgentFaults::diesMidApply).count()).isEqualTo(2);
    assertThat(spread.stream().filter(AgentFaults::notOkToStop).count()).isEqualTo(4);
    assertThat(SimFleet.spread(s)).isEqualTo(spread);
    assertThat(SimFleet.spread(s.withSeed(43))).isNotEqualTo(spread);
  }
}
