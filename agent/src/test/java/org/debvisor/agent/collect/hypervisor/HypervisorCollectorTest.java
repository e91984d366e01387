package org.debvisor.agent.collect.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.debvisor.agentapi.HypervisorSettings;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.HypervisorDetails;
import org.debvisor.proto.HypervisorDomain;
import org.debvisor.proto.HypervisorStoragePool;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/** Runs the collector against libvirt's real "test" driver through the native library. */
class HypervisorCollectorTest {

  private static final long GIB = 1024L * 1024 * 1024;

  @TempDir Path emptyRunDir;

  private static String testNodeUri() throws URISyntaxException {
    Path file =
        Path.of(HypervisorCollectorTest.class.getResource("/libvirt/test-node.xml").toURI());
    return "test://" + file.toAbsolutePath();
  }

  private static HypervisorSettings settings(String uri, int maxDomains) {
    return new HypervisorSettings(
        true, uri, Duration.ofSeconds(15), Duration.ofSeconds(5), maxDomains);
  }

  private HypervisorCollector collector(HypervisorSettings settings, LibvirtConnector connector) {
    return new HypervisorCollector(settings, connector, emptyRunDir);
  }

  /** Opens read-write and stops the "backups" pool, which the test driver always starts. */
  private static Connect withBackupsStopped(String uri) throws LibvirtException {
    Connect connect = new Connect(uri, false);
    connect.storagePoolLookupByName("backups").destroy();
    return connect;
  }

  @Test
  void stockTestDriverIsHealthy() throws Exception {
    try (HypervisorCollector collector =
        new HypervisorCollector(settings("test:///default", 500))) {
      SubsystemStatus status = collector.collect();

      assertThat(status.getSubsystem()).isEqualTo(Subsystem.SUBSYSTEM_HYPERVISOR);
      assertThat(status.getState()).isEqualTo(HealthState.HEALTH_OK);
      assertThat(status.hasCollectedAt()).isFalse();
      HypervisorDetails details = status.getHypervisor();
      assertThat(details.getUri()).isEqualTo("test:///default");
      assertThat(details.getLibvirtReachable()).isTrue();
      assertThat(details.getDriver()).isEqualTo("TEST");
      assertThat(details.getHypervisorVersion()).isEqualTo("0.0.2");
      assertThat(details.getLibvirtVersion()).matches("\\d+\\.\\d+\\.\\d+").isNotEqualTo("0.0.0");
      assertThat(details.getDomainsByStateMap()).containsExactly(Map.entry("running", 1));
      assertThat(details.getDomainsList())
          .extracting(HypervisorDomain::getName, HypervisorDomain::getState)
          .containsExactly(tuple("test", "running"));
      assertThat(details.getStoragePoolsList())
          .extracting(HypervisorStoragePool::getName, HypervisorStoragePool::getState)
          .containsExactly(tuple("default-pool", "running"));
      assertThat(details.getHost().getCpus()).isEqualTo(16);
      assertThat(details.getHost().getMemoryFreeBytes()).isPositive();
      assertThat(status.getMessage()).contains("TEST 0.0.2").contains("1 domain (1 running)");
    }
  }

  @Test
  void nodeFileReportsEveryStateHostAndPools() throws Exception {
    String uri = testNodeUri();
    try (HypervisorCollector collector =
        collector(settings(uri, 500), HypervisorCollectorTest::withBackupsStopped)) {
      SubsystemStatus status = collector.collect();

      HypervisorDetails details = status.getHypervisor();
      assertThat(details.getDomainsByStateMap())
          .containsOnly(
              Map.entry("running", 3),
              Map.entry("paused", 1),
              Map.entry("shutoff", 2),
              Map.entry("crashed", 1));
      assertThat(details.getDomainsList())
          .extracting(HypervisorDomain::getName)
          .containsExactly(
              "batch-07", "ci-runner", "db-01", "staging-01", "web-01", "web-02", "win-legacy");
      assertThat(details.getDomainsList().get(2))
          .isEqualTo(
              HypervisorDomain.newBuilder()
                  .setName("db-01")
                  .setState("running")
                  .setVcpus(4)
                  .setMemoryBytes(16 * GIB)
                  .build());
      assertThat(details.getHost().getCpuModel()).isEqualTo("x86_64");
      assertThat(details.getHost().getCpus()).isEqualTo(16);
      assertThat(details.getHost().getMhz()).isEqualTo(2400);
      assertThat(details.getHost().getNumaNodes()).isEqualTo(1);
      assertThat(details.getHost().getSockets()).isEqualTo(1);
      assertThat(details.getHost().getCoresPerSocket()).isEqualTo(8);
      assertThat(details.getHost().getThreadsPerCore()).isEqualTo(2);
      assertThat(details.getHost().getMemoryTotalBytes()).isEqualTo(64 * GIB);
      assertThat(details.getStoragePoolsList())
          .containsExactly(
              HypervisorStoragePool.newBuilder()
                  .setName("backups")
                  .setState("inactive")
                  .setCapacityBytes(100 * GIB)
                  .setAllocationBytes(25 * GIB)
                  .setAvailableBytes(75 * GIB)
                  .build(),
              HypervisorStoragePool.newBuilder()
                  .setName("vm-images")
                  .setState("running")
                  .setCapacityBytes(100 * GIB)
                  .setAllocationBytes(53 * GIB)
                  .setAvailableBytes(47 * GIB)
                  .build());
      assertThat(status.getState()).isEqualTo(HealthState.HEALTH_WARN);
      assertThat(status.getMessage())
          .contains("1 domain crashed: batch-07")
          .contains("storage pool backups is inactive")
          .doesNotContain("vm-images");
    }
  }

  @Test
  void crashedDomainAloneWarnsAndNamesIt() throws Exception {
    try (HypervisorCollector collector = new HypervisorCollector(settings(testNodeUri(), 500))) {
      SubsystemStatus status = collector.collect();

      assertThat(status.getState()).isEqualTo(HealthState.HEALTH_WARN);
      assertThat(status.getMessage())
          .startsWith("1 domain crashed: batch-07 (")
          .doesNotContain("pool backups");
      assertThat(status.getHypervisor().getStoragePoolsList())
          .allSatisfy(pool -> assertThat(pool.getState()).isEqualTo("running"));
    }
  }

  @Test
  void maxDomainsTruncatesTheListButNotTheCounts() throws Exception {
    try (HypervisorCollector collector = new HypervisorCollector(settings(testNodeUri(), 2))) {
      HypervisorDetails details = collector.collect().getHypervisor();

      assertThat(details.getDomainsList())
          .extracting(HypervisorDomain::getName)
          .containsExactly("batch-07", "ci-runner");
      assertThat(details.getDomainsByStateMap().values().stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(7);
    }
  }

  @Test
  void crashedDomainsBeyondTheLimitAreCountedInTheMessage() throws Exception {
    try (HypervisorCollector collector = new HypervisorCollector(settings(testNodeUri(), 0))) {
      SubsystemStatus status = collector.collect();

      assertThat(status.getHypervisor().getDomainsList()).isEmpty();
      assertThat(status.getState()).isEqualTo(HealthState.HEALTH_WARN);
      assertThat(status.getMessage()).startsWith("1 domain crashed (");
    }
  }

  @Test
  void unreadableUriFailsWithLibvirtsReason() {
    String uri = "test:///nonexistent/file.xml";
    try (HypervisorCollector collector = new HypervisorCollector(settings(uri, 500))) {
      assertThatThrownBy(collector::collect)
          .isInstanceOf(HypervisorUnavailableException.class)
          .hasMessageContaining("cannot connect to libvirt at test:///nonexistent/file.xml")
          .hasMessageContaining("/nonexistent/file.xml'");
    }
  }

  @Test
  void disabledCollectorIsAbsent() throws Exception {
    HypervisorSettings disabled =
        new HypervisorSettings(false, "test:///default", null, null, null);
    List<String> opened = new ArrayList<>();
    try (HypervisorCollector collector =
        collector(
            disabled,
            uri -> {
              opened.add(uri);
              return new Connect(uri, true);
            })) {
      SubsystemStatus status = collector.collect();

      assertThat(status.getState()).isEqualTo(HealthState.HEALTH_ABSENT);
      assertThat(status.getMessage()).contains("disabled");
      assertThat(status.hasHypervisor()).isFalse();
      assertThat(opened).isEmpty();
    }
  }

  @Test
  void systemUriWithoutDaemonSocketIsAbsent() throws Exception {
    try (HypervisorCollector collector =
        collector(settings("qemu:///system", 500), LibvirtConnector.READ_ONLY)) {
      SubsystemStatus status = collector.collect();

      assertThat(status.getState()).isEqualTo(HealthState.HEALTH_ABSENT);
      assertThat(status.getMessage())
          .contains("no libvirt daemon socket in " + emptyRunDir)
          .contains("not installed or not running");
    }
  }

  @Test
  void missingNativeLibraryIsAbsent() throws Exception {
    LibvirtConnector noLibrary =
        uri -> {
          throw new UnsatisfiedLinkError("Unable to load library 'virt'");
        };
    try (HypervisorCollector collector = collector(settings("test:///default", 500), noLibrary)) {
      SubsystemStatus status = collector.collect();

      assertThat(status.getState()).isEqualTo(HealthState.HEALTH_ABSENT);
      assertThat(status.getMessage()).contains("libvirt0").contains("UnsatisfiedLinkError");
    }
  }

  @Test
  void keepsTheConnectionAndReconnectsAfterItBreaks() throws Exception {
    List<Connect> opened = new ArrayList<>();
    LibvirtConnector counting =
        uri -> {
          Connect connect = new Connect(uri, true);
          opened.add(connect);
          return connect;
        };
    try (HypervisorCollector collector = collector(settings(testNodeUri(), 500), counting)) {
      collector.collect();
      collector.collect();
      assertThat(opened).hasSize(1);

      opened.getFirst().close(); // the daemon went away under the kept connection
      SubsystemStatus afterBreak = collector.collect();

      assertThat(afterBreak.getHypervisor().getLibvirtReachable()).isTrue();
      assertThat(opened).hasSize(2);
      collector.close();
      assertThat(opened.getLast().isConnected()).isFalse();
    }
  }

  @Test
  void reportsFailureWhenTheFreshConnectionFailsToo() throws Exception {
    LibvirtConnector alwaysBroken =
        uri -> {
          Connect connect = new Connect(uri, true);
          connect.close();
          return connect;
        };
    try (HypervisorCollector collector =
        collector(settings("test:///default", 500), alwaysBroken)) {
      assertThatThrownBy(collector::collect)
          .isInstanceOf(HypervisorUnavailableException.class)
          .hasMessageStartingWith("libvirt at test:///default failed to answer: ");
    }
  }
}
