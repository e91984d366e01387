package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad arguments to debvisor-provision-node: exit 2, the option and rule named, nothing touched. */
class ProvisionNodeCliTest {

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private Run run(String... extra) throws Exception {
    Path deb = dir.resolve("debvisor-agent_1_all.deb");
    Files.writeString(deb, "not really");
    Path key = dir.resolve("id");
    Files.writeString(key, "x");
    List<String> args =
        new ArrayList<>(
            List.of("--identity", key.toString(), "--known-hosts", dir.resolve("kh").toString()));
    if (!List.of(extra).contains("--agent-deb")) {
      args.addAll(List.of("--agent-deb", deb.toString()));
    }
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // A state dir of our own, so neither this machine's controller nor $DEBVISOR_TOKEN leaks in.
    CommandLine cmd =
        DebvisorCli.create(
            null, java.util.Map.of("DEBVISOR_STATE_DIR", dir.resolve("ctl").toString()));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    List<String> full = new ArrayList<>(List.of("provision-node"));
    full.addAll(args);
    int exit = cmd.execute(full.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void unknownProfileIsNamedWithTheChoices() throws Exception {
    Run r = run("--host", "n1", "--profile", "storage");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("--profile 'storage' is unknown")
        .contains("ceph, hypervisor, k8s");
    assertThat(dir.resolve("kh")).doesNotExist();
  }

  @Test
  void malformedHostsAndMissingHostsAreRefused() throws Exception {
    Run bad = run("--host", "n1;reboot", "--profile", "ceph");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--host 'n1;reboot' is not [user@]host[:port]");
    Run none = run("--profile", "ceph");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("no hosts");
  }

  @Test
  void controllerNeedsATokenAndTokenNeedsAController() throws Exception {
    Run noToken = run("--host", "n1", "--profile", "ceph", "--controller", "ctl:5443");
    assertThat(noToken.exit()).isEqualTo(2);
    // Without a token one is minted per host, which needs the controller's CA and operator token.
    assertThat(noToken.err())
        .contains("--ca-file not given and " + dir.resolve("ctl/pki/ca.pem"))
        .contains("operator token file")
        .contains("is not readable to mint one");
    Run badAddress =
        run("--host", "n1", "--profile", "ceph", "--controller", "ctl\nauth:", "--token", "t");
    assertThat(badAddress.exit()).isEqualTo(2);
    assertThat(badAddress.err()).contains("is not HOST:PORT");
    Run noController = run("--host", "n1", "--profile", "ceph", "--token", "abc");
    assertThat(noController.exit()).isEqualTo(2);
    assertThat(noController.err()).contains("only make sense with --controller");
  }

  @Test
  void aBadClusterIsRefusedBeforeAnyHostIsContacted() throws Exception {
    Run bad =
        run("--host", "n1", "--profile", "ceph", "--controller", "ctl:5443", "--cluster", "Prod_A");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err())
        .contains("--cluster 'Prod_A' must be 1-63 characters of a-z, 0-9 and '-'");
    assertThat(dir.resolve("kh")).doesNotExist();
    Run withToken =
        run(
            "--host",
            "n1",
            "--profile",
            "ceph",
            "--controller",
            "ctl:5443",
            "--token",
            "t",
            "--cluster",
            "prod-a");
    assertThat(withToken.exit()).isEqualTo(2);
    assertThat(withToken.err())
        .contains("--cluster only applies to tokens minted per host")
        .contains("debvisor token create --cluster NAME");
    Run noController = run("--host", "n1", "--profile", "ceph", "--cluster", "prod-a");
    assertThat(noController.exit()).isEqualTo(2);
    assertThat(noController.err()).contains("--cluster only make sense with --controller");
  }

  @Test
  void parallelOutputAndDebAreChecked() throws Exception {
    Run r =
        run(
            "--host",
            "n1",
            "--profile",
            "ceph",
            "--parallel",
            "0",
            "-o",
            "yaml",
            "--agent-deb",
            dir.resolve("missing.deb").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("--parallel must be between 1 and 256, not 0")
        .contains("--output must be table or json, not 'yaml'")
        .contains("missing.deb is not a .deb file");
  }

  @Test
  void anUnreadableIdentityIsExplained() throws Exception {
    Run r = run("--host", "n1", "--profile", "ceph");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("identity " + dir.resolve("id")).contains("no private key");
    assertThat(dir.resolve("kh")).doesNotExist();
  }
}
