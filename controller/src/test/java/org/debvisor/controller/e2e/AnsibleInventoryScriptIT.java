package org.debvisor.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.debvisor.agent.packaging.CommandRunner;
import org.debvisor.agent.packaging.CommandRunner.CommandResult;
import org.debvisor.controller.fleet.AnsibleInventoryContract;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * ansible/inventory/debvisor run as Ansible runs it (a process with --list or --host NAME and the
 * environment for its settings), finding the repository's scripts/debvisor and the controller's
 * shaded jar, against a served controller with enrolled nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnsibleInventoryScriptIT {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path SCRIPT = REPO.resolve("ansible/inventory/debvisor");
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunningController ctl;
  private CommandRunner runner;
  private Path tools;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    ctl = RunningController.start(Files.createDirectories(dir.resolve("state")));
    runner = new CommandRunner(dir, java.time.Duration.ofSeconds(120));
    tools = onlyTheseTools(Files.createDirectories(dir.resolve("bin")));
    enrol("id-c1", "ceph-1", "ceph", "prod-a");
    enrol("id-h1", "hv-1", "hypervisor", "");
  }

  @AfterAll
  void stop() {
    ctl.close();
  }

  private void enrol(String id, String hostname, String profile, String cluster) throws Exception {
    String token =
        ctl.operator()
            .createBootstrapToken(
                CreateBootstrapTokenRequest.newBuilder()
                    .setTtl(Duration.newBuilder().setSeconds(600))
                    .setCluster(cluster)
                    .build())
            .getToken();
    try (var anon = ctl.anonymous()) {
      anon.controller(120)
          .registerNode(new TestNode(id, hostname).request(token).setProfile(profile).build());
    }
  }

  /**
   * A PATH with just what the scripts use, so a debvisor installed on this machine cannot stand in
   * for the repository's launcher.
   */
  private static Path onlyTheseTools(Path bin) throws Exception {
    for (String tool : List.of("bash", "env", "basename", "dirname", "readlink", "awk")) {
      for (String dir : List.of("/usr/bin", "/bin")) {
        Path real = Path.of(dir, tool);
        if (Files.isExecutable(real)) {
          Files.createSymbolicLink(bin.resolve(tool), real);
          break;
        }
      }
    }
    return bin;
  }

  private Map<String, String> env(String controller) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", tools.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("DEBVISOR_CONTROLLER", controller);
    env.put("DEBVISOR_CA_FILE", ctl.caFile().toString());
    env.put("DEBVISOR_TOKEN", ctl.operatorToken());
    return env;
  }

  private CommandResult inventory(Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    return runner.run(command, env);
  }

  @Test
  void listGivesTheFleetWithNothingOnStandardErrorForAnsibleToShow() throws Exception {
    CommandResult r = inventory(env(ctl.target()), "--list").requireSuccess();

    assertThat(AnsibleInventoryContract.listProblems(r.stdout())).isEmpty();
    // Ansible shows any standard error of an inventory script as an error.
    assertThat(r.stderr()).isEmpty();
    JsonNode inventory = JSON.readTree(r.stdout());
    assertThat(inventory.get("ceph").get("hosts")).hasSize(1);
    assertThat(inventory.get("ceph").get("hosts").get(0).asText()).isEqualTo("ceph-1");
    assertThat(inventory.get("cluster_prod_a").get("hosts").get(0).asText()).isEqualTo("ceph-1");
    assertThat(inventory.get("cluster_default").get("hosts").get(0).asText()).isEqualTo("hv-1");
    assertThat(inventory.get("_meta").get("hostvars").get("hv-1").get("ansible_host").asText())
        .isEqualTo(TestNode.addressOf("id-h1"));
  }

  @Test
  void hostGivesOneHostsVariablesOrNothing() throws Exception {
    CommandResult known = inventory(env(ctl.target()), "--host", "ceph-1").requireSuccess();
    assertThat(AnsibleInventoryContract.hostOutputProblems(known.stdout())).isEmpty();
    assertThat(JSON.readTree(known.stdout()).get("debvisor_cluster").asText()).isEqualTo("prod-a");

    CommandResult unknown = inventory(env(ctl.target()), "--host", "nope").requireSuccess();
    assertThat(JSON.readTree(unknown.stdout()).size()).isZero();
  }

  @Test
  void anUnreachableControllerFailsWithTheReasonAndNoOutput() throws Exception {
    CommandResult r = inventory(env("127.0.0.1:1"), "--list", "--timeout", "5");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).contains("unreachable").contains("127.0.0.1:1");
  }

  @Test
  void theLauncherCanBeNamedAndItsAbsenceIsExplained(@TempDir Path dir) throws Exception {
    Path fake = dir.resolve("fake-debvisor");
    Files.writeString(fake, "#!/usr/bin/env bash\necho \"args: $*\"\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    Map<String, String> env = env(ctl.target());
    env.put("DEBVISOR_CLI", fake.toString());
    assertThat(inventory(env, "--host", "a b").requireSuccess().stdout())
        .isEqualTo("args: inventory --ansible --host a b\n");

    // Outside the repository, with no debvisor on PATH and DEBVISOR_CLI unset.
    Path copy = dir.resolve("debvisor");
    Files.copy(SCRIPT, copy);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwx------"));
    CommandResult r = runner.run(List.of(copy.toString(), "--list"), env(ctl.target()));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).contains("no debvisor launcher").contains("DEBVISOR_CLI");
  }
}
