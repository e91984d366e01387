package org.debvisor.agent.collect.ceph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.debvisor.agent.testing.CephMicroCluster;
import org.debvisor.agentapi.CephSettings;
import org.debvisor.proto.CephDetails;
import org.debvisor.proto.CephPgStateCount;
import org.debvisor.proto.CephPool;
import org.debvisor.proto.CheckOkToStopResponse;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * CephCollector against a real single-node cluster, read with the read-only client.debvisor. One
 * cluster for the class: each start costs seconds.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class CephCollectorTest {

  private static CephMicroCluster cluster;

  @TempDir Path temp;

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

  private static CephSettings settings(String clientId, Path keyring) {
    return new CephSettings(
        true,
        cluster.confFile(),
        clientId,
        keyring,
        Duration.ofSeconds(15),
        Duration.ofSeconds(6),
        Duration.ofSeconds(3));
  }

  private static CephSettings readOnly() {
    return settings(cluster.clientId(), cluster.clientKeyring());
  }

  @Test
  void healthyClusterIsOk() throws Exception {
    try (CephCollector collector = new CephCollector(readOnly())) {
      SubsystemStatus status = collector.collect();

      assertThat(collector.subsystem()).isEqualTo(Subsystem.SUBSYSTEM_CEPH);
      assertThat(status.getSubsystem()).isEqualTo(Subsystem.SUBSYSTEM_CEPH);
      assertThat(status.getState()).isEqualTo(HealthState.HEALTH_OK);
      assertThat(status.getMessage())
          .isEqualTo(
              "HEALTH_OK: 1/1 mons in quorum, 1/1 OSDs up, 1/1 in, 8/8 PGs active+clean,"
                  + " 0.0% raw used");
      assertThat(status.hasCollectedAt()).isFalse();
      CephDetails ceph = status.getCeph();
      assertThat(ceph.getFsid()).hasSize(36);
      assertThat(ceph.getHealthStatus()).isEqualTo("HEALTH_OK");
      assertThat(ceph.getMons().getQuorumNamesList()).containsExactly("a");
      assertThat(ceph.getMons().getTotal()).isEqualTo(1);
      assertThat(ceph.getOsds().getTotal()).isEqualTo(1);
      assertThat(ceph.getOsds().getUp()).isEqualTo(1);
      assertThat(ceph.getOsds().getIn()).isEqualTo(1);
      assertThat(ceph.getPgs().getStatesList())
          .containsExactly(
              CephPgStateCount.newBuilder().setState("active+clean").setCount(8).build());
      assertThat(ceph.getPoolsList()).extracting(CephPool::getName).containsExactly("demo");
      assertThat(ceph.getCapacity().getTotalBytes()).isEqualTo(1L << 30);
      assertThat(ceph.getMgrAvailable()).isTrue();
      assertThat(ceph.getRelease()).isEqualTo("pacific");
      assertThat(ceph.getLocalOsdIdsList()).containsExactly(0);

      // the connection is kept and reused
      assertThat(collector.collect().getCeph().getFsid()).isEqualTo(ceph.getFsid());
    }
  }

  @Test
  void aHostWithoutOsdsReportsNone() throws Exception {
    try (CephCollector collector = new CephCollector(readOnly(), "no-such-host")) {
      SubsystemStatus status = collector.collect();

      assertThat(status.getState()).isEqualTo(HealthState.HEALTH_OK);
      assertThat(status.getCeph().getLocalOsdIdsList()).isEmpty();
    }
  }

  /** {@code osd ok-to-stop} with the collector's read-only key: the monitors hand it on. */
  @Nested
  class OkToStop {

    @Test
    void theOnlyOsdOfASizeOnePoolMustNotStop() throws Exception {
      CheckOkToStopResponse answer = new CephOkToStop(readOnly()).check(List.of(0));

      assertThat(answer.getOkToStop()).isFalse();
      assertThat(answer.getOsdIdsList()).containsExactly(0);
      assertThat(answer.getReason())
          .isEqualTo("unsafe to stop osd(s) at this time (8 PGs are or would become offline)");
    }

    @Test
    void anOsdHoldingNoPlacementGroupsMayStop() throws Exception {
      // Ceph answers for ids it has no PGs on (here: one not in the map) that they may stop.
      CheckOkToStopResponse answer = new CephOkToStop(readOnly()).check(List.of(7));

      assertThat(answer.getOkToStop()).isTrue();
      assertThat(answer.getOsdIdsList()).containsExactly(7);
      assertThat(answer.getReason()).isEqualTo("osd.7 can stop now");
    }

    @Test
    void aHostWithoutOsdsMayStop() throws Exception {
      CheckOkToStopResponse answer = new CephOkToStop(readOnly(), "no-such-host").check(List.of());

      assertThat(answer.getOkToStop()).isTrue();
      assertThat(answer.getOsdIdsList()).isEmpty();
      assertThat(answer.getReason()).isEqualTo("CRUSH host no-such-host holds no OSDs");
    }

    @Test
    void aNodeWithoutCephConfigurationCannotAsk() {
      Path missing = temp.resolve("ceph.conf");
      CephSettings settings =
          new CephSettings(true, missing, "debvisor", cluster.clientKeyring(), null, null, null);

      assertThatThrownBy(() -> new CephOkToStop(settings).check(List.of(0)))
          .isInstanceOf(CephNotConfiguredException.class)
          .hasMessage("no Ceph configuration at " + missing + " on this node");
    }
  }

  @Test
  void nooutFlagIsAWarning() throws Exception {
    try (CephCollector collector = new CephCollector(readOnly())) {
      cluster.ceph("osd", "set", "noout");
      try {
        SubsystemStatus status = collector.collect();

        assertThat(status.getState()).isEqualTo(HealthState.HEALTH_WARN);
        assertThat(status.getMessage()).startsWith("HEALTH_WARN: OSDMAP_FLAGS (noout flag(s) set)");
        assertThat(status.getCeph().getChecksList())
            .anySatisfy(
                check -> {
                  assertThat(check.getCode()).isEqualTo("OSDMAP_FLAGS");
                  assertThat(check.getSeverity()).isEqualTo("HEALTH_WARN");
                  assertThat(check.getSummary()).contains("noout");
                });
      } finally {
        cluster.ceph("osd", "unset", "noout");
      }
      assertThat(collector.collect().getState()).isEqualTo(HealthState.HEALTH_OK);
    }
  }

  @Test
  void wrongKeyIsRefused() throws Exception {
    Path keyring = temp.resolve("wrong.keyring");
    Files.writeString(
        keyring, "[client.debvisor]\n\tkey = AQBnKdNmAAAAABAAbmljZSB0cnkgYnV0IHdyb25nIQ==\n");
    try (CephCollector collector = new CephCollector(settings("debvisor", keyring))) {
      assertThatThrownBy(collector::collect)
          .isInstanceOf(CephException.class)
          .hasMessageStartingWith("Ceph monitors [v2:127.0.0.1:")
          .hasMessageContaining("refused client.debvisor (permission denied)")
          .hasMessageContaining("check that " + keyring + " holds the client's current key");
    }
  }

  @Test
  void keyringWithoutTheClientsKeyIsReported() throws Exception {
    // the admin keyring holds no key for client.debvisor
    try (CephCollector collector =
        new CephCollector(settings("debvisor", cluster.adminKeyring()))) {
      assertThatThrownBy(collector::collect)
          .isInstanceOf(CephException.class)
          .hasMessageContaining("client.debvisor")
          .hasMessageContaining(cluster.adminKeyring().toString());
    }
  }

  @Test
  void missingKeyringFileIsReported() {
    Path missing = temp.resolve("nope.keyring");
    try (CephCollector collector = new CephCollector(settings("debvisor", missing))) {
      assertThatThrownBy(collector::collect)
          .isInstanceOf(CephException.class)
          .hasMessage(
              "Ceph keyring " + missing + " for client.debvisor does not exist or is not readable");
    }
  }

  @Test
  void missingConfigurationIsAbsent() throws Exception {
    Path missing = temp.resolve("ceph.conf");
    CephSettings settings =
        new CephSettings(true, missing, "debvisor", cluster.clientKeyring(), null, null, null);
    try (CephCollector collector = new CephCollector(settings)) {
      SubsystemStatus status = collector.collect();

      assertThat(status.getState()).isEqualTo(HealthState.HEALTH_ABSENT);
      assertThat(status.getMessage()).isEqualTo("no Ceph configuration at " + missing);
      assertThat(status.hasCeph()).isFalse();
    }
  }

  @Test
  void disabledCollectorIsAbsent() throws Exception {
    CephSettings settings =
        new CephSettings(
            false, cluster.confFile(), "debvisor", cluster.clientKeyring(), null, null, null);
    try (CephCollector collector = new CephCollector(settings)) {
      SubsystemStatus status = collector.collect();

      assertThat(status.getState()).isEqualTo(HealthState.HEALTH_ABSENT);
      assertThat(status.getMessage()).contains("disabled");
    }
  }

  /**
   * Last, because it kills the cluster's monitor: a collector whose monitor dies reports it before
   * the runner's timeout instead of hanging. (Nested classes run after the outer tests.)
   */
  @Nested
  @Order(Integer.MAX_VALUE)
  class MonitorDown {

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
}
