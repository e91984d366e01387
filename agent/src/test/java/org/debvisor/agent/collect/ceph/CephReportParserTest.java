package org.debvisor.agent.collect.ceph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.debvisor.proto.CephDetails;
import org.debvisor.proto.CephHealthCheck;
import org.debvisor.proto.CephPgStateCount;
import org.debvisor.proto.CephPool;
import org.junit.jupiter.api.Test;

class CephReportParserTest {

  private final CephReportParser parser = new CephReportParser();

  @Test
  void healthyClusterIsParsedCompletely() {
    CephDetails details = CephSamples.parse("healthy");

    assertThat(details.getFsid()).isEqualTo("c6ba919c-8c1a-48d3-8c90-288a89b0ad48");
    assertThat(details.getHealthStatus()).isEqualTo("HEALTH_OK");
    assertThat(details.getChecksList()).isEmpty();
    assertThat(details.getMons().getTotal()).isEqualTo(1);
    assertThat(details.getMons().getQuorumNamesList()).containsExactly("a");
    assertThat(details.getMons().getOutOfQuorumNamesList()).isEmpty();
    assertThat(details.getMons().getElectionEpoch()).isEqualTo(3);
    assertThat(details.getOsds().getTotal()).isEqualTo(1);
    assertThat(details.getOsds().getUp()).isEqualTo(1);
    assertThat(details.getOsds().getIn()).isEqualTo(1);
    assertThat(details.getPgs().getTotal()).isEqualTo(8);
    assertThat(details.getPgs().getStatesList())
        .containsExactly(
            CephPgStateCount.newBuilder().setState("active+clean").setCount(8).build());
    assertThat(details.getCapacity().getTotalBytes()).isEqualTo(1_073_741_824L);
    assertThat(details.getCapacity().getUsedRawBytes()).isEqualTo(918_665L);
    assertThat(details.getCapacity().getAvailableBytes()).isEqualTo(1_072_823_159L);
    assertThat(details.getMgrAvailable()).isTrue();
    assertThat(details.getRelease()).isEqualTo("pacific");

    assertThat(details.getPoolsList()).hasSize(1);
    CephPool demo = details.getPools(0);
    assertThat(demo.getName()).isEqualTo("demo");
    assertThat(demo.getId()).isEqualTo(1);
    assertThat(demo.getStoredBytes()).isEqualTo(900_000L);
    assertThat(demo.getObjects()).isEqualTo(3);
    assertThat(demo.getMaxAvailableBytes()).isEqualTo(1_019_135_168L);
    // Ceph's "percent_used" is a ratio (0.000882...); `ceph df` shows it as 0.09 %USED
    assertThat(demo.getPercentUsed()).isCloseTo(0.0882, within(0.0001));
  }

  @Test
  void warningCarriesTheCheck() {
    CephDetails details = CephSamples.parse("noout");

    assertThat(details.getHealthStatus()).isEqualTo("HEALTH_WARN");
    assertThat(details.getChecksList())
        .containsExactly(
            CephHealthCheck.newBuilder()
                .setCode("OSDMAP_FLAGS")
                .setSeverity("HEALTH_WARN")
                .setSummary("noout flag(s) set")
                .setMuted(false)
                .build());
  }

  @Test
  void errorKeepsDetailLinesAndMutedChecks() {
    CephDetails details = CephSamples.parse("full");

    assertThat(details.getHealthStatus()).isEqualTo("HEALTH_ERR");
    assertThat(details.getChecksList())
        .extracting(
            CephHealthCheck::getCode, CephHealthCheck::getSeverity, CephHealthCheck::getMuted)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("OSDMAP_FLAGS", "HEALTH_WARN", true),
            org.assertj.core.groups.Tuple.tuple("OSD_FULL", "HEALTH_ERR", false),
            org.assertj.core.groups.Tuple.tuple("POOL_FULL", "HEALTH_WARN", false));
    assertThat(details.getChecks(1).getDetailList()).containsExactly("osd.0 is full");
    assertThat(details.getChecks(2).getDetailList())
        .containsExactly("pool 'demo' is full (no space)", "pool 'bare' is full (no space)");
    assertThat(details.getPoolsList())
        .extracting(CephPool::getName)
        .containsExactly("demo", "bare");
    assertThat(details.getPools(0).getPercentUsed()).isEqualTo(100.0);
    assertThat(details.getPgs().getTotal()).isEqualTo(12);
  }

  @Test
  void missingDocumentsAndFieldsLeaveDefaults() {
    CephDetails details = parser.parse("{}", "", null);

    assertThat(details.getFsid()).isEmpty();
    assertThat(details.getHealthStatus()).isEmpty();
    assertThat(details.getChecksList()).isEmpty();
    assertThat(details.getMons().getTotal()).isZero();
    assertThat(details.getMons().getQuorumNamesList()).isEmpty();
    assertThat(details.getOsds().getTotal()).isZero();
    assertThat(details.getPgs().getTotal()).isZero();
    assertThat(details.getPgs().getStatesList()).isEmpty();
    assertThat(details.getCapacity().getTotalBytes()).isZero();
    assertThat(details.getPoolsList()).isEmpty();
    assertThat(details.getMgrAvailable()).isFalse();
    assertThat(details.getRelease()).isEmpty();
  }

  @Test
  void healthFallsBackToStatusWhenHealthDetailIsMissing() {
    CephDetails details =
        parser.parse(
            "{\"health\":{\"status\":\"HEALTH_WARN\",\"checks\":{\"OSD_DOWN\":{\"severity\":"
                + "\"HEALTH_WARN\",\"summary\":{\"message\":\"1 osds down\"}}}}}",
            null,
            null);

    assertThat(details.getHealthStatus()).isEqualTo("HEALTH_WARN");
    assertThat(details.getChecksList())
        .extracting(CephHealthCheck::getCode, CephHealthCheck::getSummary)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("OSD_DOWN", "1 osds down"));
  }

  @Test
  void olderLayoutsAreUnderstood() {
    // Nautilus nests the OSD counters and lists the monitors; pre-Luminous has overall_status
    String status =
        "{\"health\":{\"overall_status\":\"HEALTH_WARN\"},"
            + "\"quorum_names\":[\"a\",\"b\"],"
            + "\"monmap\":{\"mons\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"}]},"
            + "\"osdmap\":{\"osdmap\":{\"num_osds\":3,\"num_up_osds\":2,\"num_in_osds\":3}},"
            + "\"pgmap\":{\"num_pgs\":4,\"bytes_total\":100,\"bytes_used\":10,\"bytes_avail\":90}}";
    String df = "{\"pools\":[{\"name\":\"rbd\",\"id\":3,\"stats\":{\"bytes_used\":42}}]}";

    CephDetails details = parser.parse(status, null, df);

    assertThat(details.getHealthStatus()).isEqualTo("HEALTH_WARN");
    assertThat(details.getMons().getTotal()).isEqualTo(3);
    assertThat(details.getMons().getOutOfQuorumNamesList()).containsExactly("c");
    assertThat(details.getOsds().getTotal()).isEqualTo(3);
    assertThat(details.getOsds().getUp()).isEqualTo(2);
    assertThat(details.getCapacity().getTotalBytes()).isEqualTo(100);
    assertThat(details.getCapacity().getUsedRawBytes()).isEqualTo(10);
    assertThat(details.getCapacity().getAvailableBytes()).isEqualTo(90);
    assertThat(details.getPools(0).getStoredBytes()).isEqualTo(42);
  }

  @Test
  void monitorsOutOfQuorumComeFromMonDownDetails() {
    String status = "{\"quorum_names\":[\"a\",\"b\"],\"monmap\":{\"num_mons\":3}}";
    String health =
        "{\"status\":\"HEALTH_WARN\",\"checks\":{\"MON_DOWN\":{\"severity\":\"HEALTH_WARN\","
            + "\"summary\":{\"message\":\"1/3 mons down, quorum a,b\"},\"detail\":[{\"message\":"
            + "\"mon.c (rank 2) addr [v2:10.0.0.3:3300/0,v1:10.0.0.3:6789/0] is down (out of"
            + " quorum)\"}],\"muted\":false}}}";

    CephDetails details = parser.parse(status, health, null);

    assertThat(details.getMons().getTotal()).isEqualTo(3);
    assertThat(details.getMons().getQuorumNamesList()).containsExactly("a", "b");
    assertThat(details.getMons().getOutOfQuorumNamesList()).containsExactly("c");
  }

  @Test
  void invalidJsonNamesTheCommand() {
    assertThatThrownBy(() -> parser.parse("{}", "{}", "not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("`ceph df`")
        .hasMessageContaining("invalid JSON");
  }
}
