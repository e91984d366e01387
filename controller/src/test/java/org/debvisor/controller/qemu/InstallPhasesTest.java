package org.debvisor.controller.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Phases read from a real installer serial log (captured here) and from synthetic log lines. */
class InstallPhasesTest {

  @Test
  void realTrixieLogReachesTheMirrorAndStopsOnTheReleaseSignature() throws Exception {
    List<String> lines = TerminalText.logLines(resource("/console/amd64-bios-trixie-serial.log"));
    InstallPhases phases = new InstallPhases();
    for (int i = 0; i < lines.size(); i++) {
      phases.observe(lines.get(i), Duration.ofSeconds(i));
    }

    assertThat(phases.reached())
        .containsKeys(
            InstallPhase.FIRMWARE,
            InstallPhase.KERNEL_BOOTED,
            InstallPhase.PRESEED_READ,
            InstallPhase.NETWORK_CONFIGURED,
            InstallPhase.MIRROR_CHECKED,
            InstallPhase.COMPONENTS_DOWNLOADING)
        .doesNotContainKey(InstallPhase.PARTITIONING);
    assertThat(phases.furthest()).isEqualTo(InstallPhase.COMPONENTS_DOWNLOADING);
    assertThat(phases.failure())
        .hasValueSatisfying(r -> assertThat(r).contains("Bad signature on"));
    // Ordered as the installer went: preseed before network before mirror.
    assertThat(phases.reached().get(InstallPhase.PRESEED_READ))
        .isLessThan(phases.reached().get(InstallPhase.NETWORK_CONFIGURED));
    assertThat(phases.reached().get(InstallPhase.NETWORK_CONFIGURED))
        .isLessThan(phases.reached().get(InstallPhase.MIRROR_CHECKED));
  }

  @Test
  void notFoundComponentIsNamedInTheFailure() {
    InstallPhases phases = new InstallPhases();
    observe(
        phases,
        "Nov 23 19:22:42 main-menu[2315]: INFO: Menu item 'download-installer' selected",
        "Nov 23 19:23:10 anna[5115]: wget: server returned error: HTTP/1.1 404 Not Found"
            + " http://deb.debian.org/debian/pool/main/e/e2fsprogs/"
            + "e2fsprogs-udeb_1.47.2-3+b12_amd64.udeb",
        "Nov 23 19:23:11 main-menu[2315]: WARNING **: Configuring 'download-installer' failed"
            + " with error code 1");

    assertThat(phases.missingComponents()).containsExactly("e2fsprogs-udeb");
    assertThat(phases.failure())
        .hasValue(
            "installer step 'download-installer' failed; the mirror answered 404 for"
                + " [e2fsprogs-udeb]");
  }

  @Test
  void installFinishesOnlyWhenTheGuestExitsAfterFinishInstall() {
    InstallPhases phases = new InstallPhases();
    observe(phases, "Nov 23 20:00:00 main-menu[1]: INFO: Menu item 'bootstrap-base' selected");
    phases.guestExited(Duration.ofMinutes(5));
    assertThat(phases.reached()).doesNotContainKey(InstallPhase.FINISHED);

    observe(phases, "Nov 23 20:09:00 main-menu[1]: INFO: Menu item 'finish-install' selected");
    phases.guestExited(Duration.ofMinutes(10));

    assertThat(phases.furthest()).isEqualTo(InstallPhase.FINISHED);
    assertThat(phases.reached().get(InstallPhase.FINISHED)).isEqualTo(Duration.ofMinutes(10));
    assertThat(phases.failure()).isEmpty();
  }

  @Test
  void screenWrapsAreRejoinedAndStatusLinesDropped() {
    String raw =
        "Nov 23 19:19:11 main-menu[2676]: INFO: Menu item 'download-installer' selected and mor"
            + "\r\n\u001b[23;80Hre text\r\n\u001b[7m[ 1- installer 2 shell (4*log) ][ Nov 23 19:19 ]"
            + "\u001b[0mNov 23 19:19:12 netcfg[1]: INFO: next\r\n";

    assertThat(TerminalText.logLines(raw))
        .containsExactly(
            "Nov 23 19:19:11 main-menu[2676]: INFO: Menu item 'download-installer' selected and"
                + " more text",
            "Nov 23 19:19:12 netcfg[1]: INFO: next");
  }

  @Test
  void grubPromptBeforeTheKernelIsAFailure() {
    String raw =
        "\u001b[=3h\u001b[2JBdsDxe: starting Boot0001 \"UEFI QEMU DVD-ROM QM00001 \"\r\n"
            + "\u001b[02;35HGNU GRUB  version 2.12-9+deb13u2\r\n\r\n\rgrub> ";
    InstallPhases phases = new InstallPhases();
    TerminalText.logLines(raw).forEach(l -> phases.observe(l, Duration.ofSeconds(30)));

    assertThat(TerminalText.logLines(raw).getFirst()).startsWith("BdsDxe: starting");
    assertThat(phases.furthest()).isEqualTo(InstallPhase.FIRMWARE);
    assertThat(phases.failure())
        .hasValue("the boot loader stopped at the GRUB prompt: it found no usable grub.cfg");
  }

  private static void observe(InstallPhases phases, String... lines) {
    for (String l : lines) {
      phases.observe(l, Duration.ofSeconds(1));
    }
  }

  private static String resource(String name) throws Exception {
    try (InputStream in = InstallPhasesTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
