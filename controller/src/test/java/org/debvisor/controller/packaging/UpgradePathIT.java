package org.debvisor.controller.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.debvisor.agent.packaging.CommandRunner;
import org.debvisor.agent.packaging.DebPackage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade path N-1 → N and back (docs/upgrades.md) with the real packages on a Debian 13
 * namespace node: N-1 is the last release, built from its tag by scripts/build-release-debs.sh
 * (cached by commit id), N this build's two .debs; src/test/scripts/upgrade-path.sh installs,
 * enrols, pushes configurations, upgrades, downgrades and interrupts an upgrade, and checks each
 * step. Slow suite: building N-1 from source costs minutes on a fresh machine.
 */
class UpgradePathIT {

  private static final String RELEASE = "v0.1.0";

  @Test
  void lastReleaseUpgradesToThisBuildAndBackWithNodesKeepingTheirState(@TempDir Path dir)
      throws Exception {
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "slow suite: -Ddebvisor.slow=true");
    assumeTrue("root".equals(System.getProperty("user.name")), "the namespace node needs root");
    Path repo = Path.of(System.getProperty("debvisor.repoRoot")).toRealPath();
    CommandRunner builds = new CommandRunner(dir, Duration.ofMinutes(30));
    String oldDir =
        builds
            .run(List.of(repo.resolve("scripts/build-release-debs.sh").toString(), RELEASE))
            .requireSuccess()
            .stdout()
            .strip();
    Path newDir = Files.createDirectories(dir.resolve("new"));
    String version = DebPackage.expectedVersion();
    Files.copy(
        Path.of(System.getProperty("debvisor.agentDebDir"))
            .resolve("debvisor-agent_" + version + "_all.deb"),
        newDir.resolve("debvisor-agent_" + version + "_all.deb"));
    Path controllerDeb = Path.of(System.getProperty("debvisor.deb"));
    Files.copy(controllerDeb, newDir.resolve(controllerDeb.getFileName()));

    var result =
        new CommandRunner(dir, Duration.ofMinutes(20))
            .run(
                List.of(
                    Path.of("src/test/scripts/upgrade-path.sh").toAbsolutePath().toString(),
                    oldDir,
                    newDir.toString()));

    String out = result.stdout();
    assertThat(result.exitCode()).as("%s\n%s", out, result.stderr()).isZero();
    assertThat(out)
        .contains("upgrade-path: N-1 = 0.1.0, N = " + version)
        .contains("ok: phase 2 (agent " + version + ", controller 0.1.0): heartbeat")
        .contains("ok: agent identity, certificate, config history and state after the upgrade")
        .contains("ok: phase 2: same node id and certificate serial")
        .contains("ok: controller CA and operator token after the upgrade")
        .contains("ok: phase 3: database migrated to " + version + "'s schema")
        .contains("ok: phase 4 (agent 0.1.0, controller " + version + "): heartbeat")
        .contains("ok: agent identity, certificate, config history and state after the downgrade")
        .contains("ok: phase 6: dpkg --configure -a finished the upgrade")
        .endsWith("upgrade-path: passed\n");
    // One configuration pushed and found on the node in each of the six phases.
    assertThat(out.lines().filter(l -> l.contains("applied through UpdateConfig"))).hasSize(6);
  }
}
