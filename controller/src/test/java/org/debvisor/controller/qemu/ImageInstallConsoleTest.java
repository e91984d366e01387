package org.debvisor.controller.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ImageInstallConsoleTest {

  @Test
  void phasesAreTimedAtTheirFirstLine() {
    ImageInstallConsole console = new ImageInstallConsole();
    console.observe(
        "Begin: Mounting root file system ... DEBVISOR-INSTALL phase=boot uptime=29.3",
        Duration.ofSeconds(31));
    console.observe("DEBVISOR-INSTALL phase=unpack uptime=41.2", Duration.ofSeconds(43));
    console.observe("DEBVISOR-INSTALL phase=unpack uptime=41.2", Duration.ofSeconds(60));
    console.observe("DEBVISOR-INSTALL phase=done uptime=150", Duration.ofSeconds(152));
    console.observe("DEBVISOR-INSTALL phase=nonsense", Duration.ofSeconds(153));
    console.observe(
        "DEBVISOR-INSTALL phase=disk uptime=33 DEBVISOR-INSTALL phase=partition uptime=34",
        Duration.ofSeconds(154));

    assertThat(console.reached())
        .containsEntry(ImageInstallPhase.INSTALLER_BOOTED, Duration.ofSeconds(31))
        .containsEntry(ImageInstallPhase.UNPACKED, Duration.ofSeconds(43))
        .containsEntry(ImageInstallPhase.INSTALLED, Duration.ofSeconds(152))
        .containsEntry(ImageInstallPhase.DISK_CHOSEN, Duration.ofSeconds(154))
        .containsEntry(ImageInstallPhase.PARTITIONED, Duration.ofSeconds(154))
        .hasSize(5);
    assertThat(console.installed()).isTrue();
    assertThat(console.failure()).isEmpty();
  }

  @Test
  void theFailureLineGivesPhaseAndReason() {
    ImageInstallConsole console = new ImageInstallConsole();
    console.observe(
        "DEBVISOR-INSTALL FAILED phase=disk: rule disk.target: /dev/sdz does not exist on this machine",
        Duration.ofSeconds(40));
    console.observe("FAILED phase=disk: something else", Duration.ofSeconds(41));

    assertThat(console.failure())
        .contains("phase disk: rule disk.target: /dev/sdz does not exist on this machine");
    assertThat(console.installed()).isFalse();
  }
}
