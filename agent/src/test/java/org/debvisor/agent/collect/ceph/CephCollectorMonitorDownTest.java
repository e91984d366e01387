package org.debvisor.agent.collect.ceph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.debvisor.agent.testing.CephMicroCluster;
import org.debvisor.agentapi.CephSettings;
import org.debvisor.proto.HealthState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A collector whose monitor dies reports it before the runner's timeout instead of hanging. */
class CephCollectorMonitorDownTest {

  private static CephMicroCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = CephMicroCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void deadMonitorIsReportedWithinTheCollectorTimeout() throws Exception {
    CephSettings settings =
        new CephSettings(
            true,
            cluster.confFile(),
            cluster.clientId(),
            cluster.clientKeyring(),
            Duration.ofSeconds(15),
            Duration.ofSeconds(4),
            Duration.ofSeconds(2));
    try (CephCollector collector = new CephCollector(settings)) {
      assertThat(collector.collect().getState()).isEqualTo(HealthState.HEALTH_OK);

      cluster.killMonitor();

      // on the open connection: the monitor stops answering commands
      assertTimeoutPreemptively(
          collector.timeout(),
          () ->
              assertThatThrownBy(collector::collect)
                  .isInstanceOf(CephException.class)
                  .hasMessageStartingWith("Ceph monitors [v2:127.0.0.1:")
                  .hasMessageContaining("did not answer `ceph status` within 2s"));
      // next time it reconnects, and the monitor is not there to take the connection
      assertTimeoutPreemptively(
          collector.timeout(),
          () ->
              assertThatThrownBy(collector::collect)
                  .isInstanceOf(CephException.class)
                  .hasMessageStartingWith("cannot reach Ceph monitors [v2:127.0.0.1:")
                  .hasMessageContaining("within 2s as client.debvisor"));
    }
  }
}
