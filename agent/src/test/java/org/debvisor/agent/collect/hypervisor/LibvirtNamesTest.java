package org.debvisor.agent.collect.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.StoragePoolInfo.StoragePoolState;

class LibvirtNamesTest {

  @Test
  void domainStatesUseTheProtocolsLowerCaseNames() {
    assertThat(Arrays.stream(DomainState.values()).map(LibvirtReader::domainState))
        .containsExactly(
            "nostate",
            "running",
            "blocked",
            "paused",
            "shutdown",
            "shutoff",
            "crashed",
            "pmsuspended");
    assertThat(LibvirtReader.domainState(null)).isEqualTo("nostate");
  }

  @Test
  void poolStatesUseTheProtocolsNames() {
    assertThat(Arrays.stream(StoragePoolState.values()).map(LibvirtReader::poolState))
        .containsExactly("inactive", "building", "running", "degraded");
    assertThat(LibvirtReader.poolState(null)).isEqualTo("inaccessible");
  }

  @Test
  void packedVersionsBecomeDottedText() {
    assertThat(LibvirtVersions.format(9_000_000)).isEqualTo("9.0.0");
    assertThat(LibvirtVersions.format(7_002_015)).isEqualTo("7.2.15");
    assertThat(LibvirtVersions.format(2)).isEqualTo("0.0.2");
  }
}
