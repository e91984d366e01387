package org.debvisor.controller.iso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.debvisor.controller.cli.DebvisorCli;
import org.debvisor.controller.preseed.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in ({@code -Ddebvisor.slow=true}): builds the amd64 ISO for a DHCP node and installs from it
 * under QEMU/TCG with BIOS, following the real Debian mirror. Needs qemu-system-x86 and qemu-utils.
 */
class IsoBootSlowTest {

  @TempDir Path dir;

  @Test
  void amd64BiosInstallReadsPreseedConfiguresNetworkAndStopsNoEarlierThanPredicted()
      throws Exception {
    assumeTrue(
        Boolean.getBoolean("debvisor.slow"),
        "QEMU install test is opt-in: run with -Ddebvisor.slow=true (takes 3-15 min under TCG)");
    Path node = dir.resolve("node.yaml");
    try (var in = IsoBootSlowTest.class.getResourceAsStream("/examples/qemu-node.yaml")) {
      Files.write(node, in.readAllBytes());
    }
    PrintWriter console = new PrintWriter(System.out, true);
    var cli = DebvisorCli.create(null);
    cli.setOut(console);
    cli.setErr(console);
    int built =
        cli.execute(
            "iso",
            "build",
            "--arch",
            "amd64",
            "--node",
            node.toString(),
            "--out",
            dir.resolve("iso").toString(),
            "--quiet");
    assertThat(built).isZero();
    PreflightReport predicted = preflight();

    IsoTestReport report =
        new IsoBootTest(new QemuLauncher(), new ConsoleProgress(console), Duration.ofMinutes(3))
            .run(
                new IsoTestRequest(
                    dir.resolve("iso/debvisor-qemu-node-amd64.iso"),
                    Architecture.AMD64,
                    false,
                    Duration.ofMinutes(15),
                    dir.resolve("work")));
    console.println("report: " + report);

    // Reached without anyone answering: a question would have stopped it before these.
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
    assertThat(dir.resolve("work/disk.qcow2")).doesNotExist();
  }

  private static PreflightReport preflight() throws IsoBuildException {
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
        .check(Architecture.AMD64, pins.defaultVersion());
  }
}
