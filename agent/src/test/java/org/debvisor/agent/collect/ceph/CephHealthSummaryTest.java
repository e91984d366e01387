package org.debvisor.agent.collect.ceph;

import static org.assertj.core.api.Assertions.assertThat;

import org.debvisor.proto.CephDetails;
import org.debvisor.proto.HealthState;
import org.junit.jupiter.api.Test;

class CephHealthSummaryTest {

  @Test
  void healthyClusterSummary() {
    CephDetails details = CephSamples.parse("healthy");

    assertThat(CephHealthSummary.state(details)).isEqualTo(HealthState.HEALTH_OK);
    assertThat(CephHealthSummary.message(details))
        .isEqualTo(
            "HEALTH_OK: 1/1 mons in quorum, 1/1 OSDs up, 1/1 in, 8/8 PGs active+clean,"
                + " 0.1% raw used");
  }

  @Test
  void warningNamesItsChecks() {
    CephDetails details = CephSamples.parse("noout");

    assertThat(CephHealthSummary.state(details)).isEqualTo(HealthState.HEALTH_WARN);
    assertThat(CephHealthSummary.message(details))
        .startsWith("HEALTH_WARN: OSDMAP_FLAGS (noout flag(s) set); 1/1 mons in quorum");
  }

  @Test
  void errorLeavesMutedChecksOut() {
    CephDetails details = CephSamples.parse("full");

    assertThat(CephHealthSummary.state(details)).isEqualTo(HealthState.HEALTH_ERROR);
    assertThat(CephHealthSummary.message(details))
        .startsWith("HEALTH_ERR: OSD_FULL (1 full osd(s)), POOL_FULL (2 pool(s) full); ")
        .doesNotContain("OSDMAP_FLAGS");
  }

  @Test
  void unknownStatusAndMissingMgrAreSaid() {
    CephDetails details = CephDetails.newBuilder().setHealthStatus("HEALTH_WEIRD").build();

    assertThat(CephHealthSummary.state(details)).isEqualTo(HealthState.HEALTH_UNKNOWN);
    assertThat(CephHealthSummary.message(details))
        .startsWith("HEALTH_WEIRD: 0/0 mons in quorum")
        .contains("?% raw used")
        .endsWith(", no active mgr");
  }
}
