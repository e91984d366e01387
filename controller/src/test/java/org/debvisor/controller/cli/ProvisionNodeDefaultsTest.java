package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.debvisor.controller.ssh.LoopbackSshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The operations matrix's {@code debvisor-provision-node --host staging-node-1 --profile ceph} with
 * nothing else: the alias goes through $HOME/.ssh/config, keys and known_hosts come from
 * $HOME/.ssh, the agent package is found beside the jar, the controller from the environment.
 */
class ProvisionNodeDefaultsTest {

  @TempDir Path dir;
  private Path home;
  private Path jar;
  private LoopbackSshServer server;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(dir.resolve("home/.ssh")).getParent();
    Path key = home.resolve(".ssh/id_ed25519");
    Process p =
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    server =
        new LoopbackSshServer(
            KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256),
            LoopbackSshServer.readPublic(Path.of(key + ".pub")),
            null);
    Files.writeString(
        home.resolve(".ssh/config"),
        "Host staging-node-*\n  HostName 127.0.0.1\n  Port " + server.port() + "\n");
    Path share = Files.createDirectories(dir.resolve("share"));
    jar = Files.writeString(share.resolve("debvisor-controller.jar"), "jar");
    Files.writeString(share.resolve("debvisor-agent_1.0_all.deb"), "deb");
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private record Run(int exit, String out, String err) {}

  private Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd =
        new CommandLine(
            new ProvisionNodeCommand(
                new PreseedDataLocator(null), new AgentDebLocator(dir, jar), env));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return new Run(cmd.execute(args), out.toString(), err.toString());
  }

  private Map<String, String> env(String... more) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("HOME", home.toString());
    env.put("DEBVISOR_STATE_DIR", dir.resolve("ctl").toString());
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void theMatrixCommandReachesTheAliasAndStopsAtAnUnknownHostKeyNamingBothFiles() {
    Run r = run(env(), "--host", "staging-node-1", "--profile", "ceph");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .contains("staging-node-1")
        .contains("connect")
        .contains("host staging-node-1 (root@127.0.0.1:" + server.port() + ")")
        .contains("is not in " + home.resolve(".ssh/known_hosts") + ", /etc/ssh/ssh_known_hosts")
        .contains(KeyUtils.getFingerPrint(server.hostKey.getPublic()))
        .contains("note: no controller");
    // Refused before authentication: nothing was sent, nothing recorded.
    assertThat(server.authenticatedUsers).isEmpty();
    assertThat(home.resolve(".ssh/known_hosts")).doesNotExist();
  }

  @Test
  void theControllerComesFromTheEnvironmentAndIsChecked() {
    Run r =
        run(
            env("DEBVISOR_CONTROLLER", "ctl;reboot", "DEBVISOR_TOKEN", "op"),
            "--host",
            "staging-node-1",
            "--profile",
            "ceph");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("$DEBVISOR_CONTROLLER 'ctl;reboot' is not HOST:PORT")
        .contains("--ca-file not given and " + dir.resolve("ctl/pki/ca.pem"));
    assertThat(server.sessions.get()).isZero();
  }

  @Test
  void aMissingAgentPackageAndSshConfigAreNamed() throws Exception {
    Files.delete(dir.resolve("share/debvisor-agent_1.0_all.deb"));
    Run r =
        run(
            env(),
            "--host",
            "staging-node-1",
            "--profile",
            "ceph",
            "--ssh-config",
            dir.resolve("nope").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("no agent package found in " + dir.resolve("share"))
        .contains("--agent-deb PATH")
        .contains("--ssh-config " + dir.resolve("nope") + " does not exist");
    assertThat(server.sessions.get()).isZero();
  }

  @Test
  void sshConfigNoneTakesTheHostAsWritten() {
    Run r =
        run(
            env(),
            "--host",
            "staging-node-1.invalid",
            "--profile",
            "ceph",
            "--ssh-config",
            "none",
            "--connect-timeout",
            "5s");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("unknown host name 'staging-node-1.invalid'");
    assertThat(server.sessions.get()).isZero();
  }

  @Test
  void helpNoLongerRequiresTheSshAndPackageFlags() {
    Run r = run(env(), "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--ssh-config").contains("ssh-agent");
    assertThat(List.of(r.out().split("\n")).getFirst()).doesNotContain("--identity=KEYFILE");
  }
}
