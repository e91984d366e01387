package org.debvisor.controller.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.cli.DebvisorCli;
import org.debvisor.controller.mirror.ArchiveIndexes;
import org.debvisor.controller.mirror.ConsoleProgress;
import org.debvisor.controller.mirror.InstallerFetcher;
import org.debvisor.controller.mirror.InstallerPins;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.mirror.MirrorFixture;
import org.debvisor.controller.mirror.MirrorPreflight;
import org.debvisor.controller.mirror.PreflightReport;
import org.debvisor.controller.mirror.Progress;
import org.debvisor.controller.mirror.VerifiedFetcher;
import org.debvisor.controller.node.Architecture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in ({@code -Ddebvisor.slow=true}): builds the ISO for a DHCP node and installs from it under
 * QEMU/TCG, following the real Debian mirror: amd64 with BIOS (SeaBIOS) and with UEFI (OVMF), arm64
 * with UEFI (qemu-efi-aarch64). Needs the packages in {@code DEBVISOR_SLOW_TEST_PACKAGES}. Each run
 * prints its phase times ("report: ...").
 */
class IsoBootSlowTest {

  @TempDir Path dir;

  private final PrintWriter console = new PrintWriter(System.out, true);

  @BeforeEach
  void optIn() {
    assumeTrue(
        Boolean.getBoolean("debvisor.slow"),
        "QEMU install tests are opt-in: run with -Ddebvisor.slow=true (3-15 min each under TCG)");
  }

  @Test
  void amd64BiosInstallReadsPreseedConfiguresNetworkAndStopsNoEarlierThanPredicted()
      throws Exception {
    IsoTestReport report = buildAndBoot(Architecture.AMD64, false, Duration.ofMinutes(15));

    assertGotAsFarAsTheMirrorAllows(report, preflight(Architecture.AMD64));
  }

  @Test
  void amd64UefiInstallGetsAsFarAsBios() throws Exception {
    IsoTestReport report = buildAndBoot(Architecture.AMD64, true, Duration.ofMinutes(15));

    assertThat(report.reason().orElse("")).doesNotContain("GRUB prompt");
    assertGotAsFarAsTheMirrorAllows(report, preflight(Architecture.AMD64));
  }

  @Test
  void arm64UefiBootsTheInstallerWhichReadsThePreseed() throws Exception {
    IsoTestReport report = buildAndBoot(Architecture.ARM64, true, Duration.ofMinutes(12));

    assertThat(report.reason().orElse("")).doesNotContain("GRUB prompt");
    assertThat(report.reached())
        .containsKeys(InstallPhase.KERNEL_BOOTED, InstallPhase.PRESEED_READ);
    assertThat(dir.resolve("work/serial.log")).isNotEmptyFile();
  }

  private IsoTestReport buildAndBoot(Architecture arch, boolean uefi, Duration timeout)
      throws Exception {
    Path node = dir.resolve("node.yaml");
    try (var in = IsoBootSlowTest.class.getResourceAsStream("/examples/qemu-node.yaml")) {
      Files.write(node, in.readAllBytes());
    }
    var cli = DebvisorCli.create(null);
    cli.setOut(console);
    cli.setErr(console);
    int built =
        cli.execute(
            "iso",
            "build",
            "--arch",
            arch.debianName(),
            "--node",
            node.toString(),
            "--out",
            dir.resolve("iso").toString(),
            "--quiet");
    assertThat(built).isZero();
    Path iso = dir.resolve("iso/debvisor-qemu-node-" + arch.debianName() + ".iso");
    IsoTestReport report =
        new IsoBootTest(new QemuLauncher(), new ConsoleProgress(console), Duration.ofMinutes(3))
            .run(new IsoTestRequest(iso, arch, uefi, timeout, dir.resolve("work")));
    console.println("report: " + report);
    console.println(
        "phases (" + arch.debianName() + (uefi ? ", UEFI" : ", BIOS") + "): " + seconds(report));
    assertThat(dir.resolve("work/disk.qcow2")).doesNotExist();
    return report;
  }

  /** Reached without anyone answering: a question would have stopped it before these. */
  private void assertGotAsFarAsTheMirrorAllows(IsoTestReport report, PreflightReport predicted) {
    assertThat(report.reached())
        .containsKeys(
            InstallPhase.KERNEL_BOOTED,
            InstallPhase.PRESEED_READ,
            InstallPhase.NETWORK_CONFIGURED,
            InstallPhase.MIRROR_CHECKED);
    assertThat(report.reached().get(InstallPhase.PRESEED_READ))
        .isLessThan(report.reached().get(InstallPhase.NETWORK_CONFIGURED));
    if (!report.finished()) {
      assertThat(report.reason()).isPresent();
      assertThat(report.lastLines()).isNotEmpty();
      assertThat(report.furthest()).isGreaterThanOrEqualTo(InstallPhase.COMPONENTS_DOWNLOADING);
      List<String> predictedMissing =
          predicted.missing().stream().map(PreflightReport.Missing::name).toList();
      assertThat(predictedMissing).containsAll(report.missingComponents());
      if (report.reason().orElseThrow().contains("Bad signature")) {
        assertThat(predictedMissing).contains("Release.gpg");
      }
    }
    assertThat(dir.resolve("work/serial.log")).isNotEmptyFile();
  }

  private static String seconds(IsoTestReport report) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<InstallPhase, Duration> e : report.reached().entrySet()) {
      text.append(e.getKey().label()).append(' ').append(e.getValue().toSeconds()).append(" s; ");
    }
    return text + "stopped: " + report.reason().orElse("finished");
  }

  private static PreflightReport preflight(Architecture arch) throws IsoBuildException {
    VerifiedFetcher fetcher = MirrorFixture.fetcher();
    ArchiveIndexes indexes =
        new ArchiveIndexes(fetcher, MirrorFixture.verifier(), MirrorFixture.SUITE);
    InstallerPins pins = InstallerPins.builtIn();
    return new MirrorPreflight(
            indexes,
            new InstallerFetcher(indexes, fetcher, pins, Progress.NONE),
            fetcher.mirror(),
            Progress.NONE,
            true)
        .check(arch, pins.defaultVersion());
  }
}
