package org.debvisor.controller.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Ansible roles against real Debian 13 VMs (QEMU, systemd, OpenSSH): scripts/molecule-lite.sh
 * runs each Molecule scenario's create → converge → idempotence → verify → destroy with
 * ansible-core from a Debian 13 toolbox, and a real controller that the agent enrols with. Default:
 * the "default" scenario (a hypervisor-profile node: debvisor_hypervisor + debvisor_agent); others
 * with -Ddebvisor.ansibleScenarios="agent hypervisor ceph k8s site"; none with
 * -Ddebvisor.ansibleTests=false.
 */
class MoleculeLiteIT {

  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path SCRIPT = REPO.resolve("scripts/molecule-lite.sh");

  private record Run(int exit, String output) {}

  private static Run molecule(Path log, long timeoutMinutes, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    // The script's controller runs on this JVM's JDK.
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      // SIGTERM lets the script's trap stop its VMs and its controller.
      p.destroy();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      throw new AssertionError(
          "molecule-lite did not finish within "
              + timeoutMinutes
              + " min; output:\n"
              + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /**
   * The run scripts/test.sh started beside the Maven build (same script, same scenarios): waits
   * until it wrote its exit status, bounded like a run of our own.
   */
  private static Run startedEarlier(Path dir, long timeoutMinutes)
      throws IOException, InterruptedException {
    Path exit = dir.resolve("exit");
    Path log = dir.resolve("output.log");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(timeoutMinutes);
    while (!Files.exists(exit)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the molecule-lite run in "
                + dir
                + " did not finish within "
                + timeoutMinutes
                + " min; output so far:\n"
                + (Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(none)"));
      }
      Thread.sleep(2000);
    }
    return new Run(
        Integer.parseInt(Files.readString(exit).strip()),
        Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void scenariosConvergeIdempotentlyAndVerify(@TempDir Path tmp) throws Exception {
    assumeTrue(
        Boolean.parseBoolean(System.getProperty("debvisor.ansibleTests", "true")),
        "-Ddebvisor.ansibleTests=false");
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root (QEMU images, chroot toolbox); scripts/test.sh runs as root in CI");
    String[] scenarios =
        System.getProperty("debvisor.ansibleScenarios", "default").trim().split("\\s+");

    String early = System.getProperty("debvisor.moleculeRun", "");
    boolean checkMode = !"0".equals(System.getProperty("debvisor.moleculeCheck", "1"));
    Run run =
        early.isBlank()
            ? molecule(tmp.resolve("molecule-lite.log"), 60, scenarios)
            : startedEarlier(Path.of(early), 60);

    // Shown in the build log: the phase timings.
    System.out.println(run.output());
    assertThat(run.exit()).as(run.output()).isZero();
    for (String s : scenarios) {
      assertThat(run.output())
          .as(run.output())
          .contains("molecule-lite: " + s + ": converge ok")
          .contains(
              "molecule-lite: "
                  + s
                  + (checkMode ? ": check ok" : ": check skipped (DEBVISOR_MOLECULE_CHECK=0)"))
          .containsPattern(
              "molecule-lite: " + s + ": idempotence: (\\S+ : ok=\\d+ changed=0 [^;]*;)+")
          .contains("molecule-lite: " + s + ": verify ok")
          .contains("molecule-lite: " + s + ": destroy ok");
    }
    for (String s : scenarios) {
      if (List.of("default", "agent", "site").contains(s)) {
        // Scenarios with debvisor_agent: the controller's own inventory lists their VMs.
        assertThat(run.output())
            .contains("molecule-lite: " + s + ": verify: the controller lists dv-");
      }
    }
    assertThat(run.output()).contains("molecule-lite: passed: " + String.join(" ", scenarios));
  }

  @Test
  void anUnknownScenarioIsRefusedByName(@TempDir Path tmp) throws Exception {
    Run run = molecule(tmp.resolve("unknown.log"), 1, "agent", "no-such-scenario");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.output())
        .contains("no scenario 'no-such-scenario'")
        .contains("molecule/no-such-scenario/molecule.yml does not exist")
        .doesNotContain("create ok");
  }
}
