package org.debvisor.controller.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.debvisor.controller.cli.DebvisorCli;
import org.debvisor.controller.pki.CertificatePolicy;
import org.debvisor.controller.preseed.PreseedDataLoader;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.ssh.KnownHostsFile;
import org.debvisor.controller.ssh.SshConnector;
import org.debvisor.controller.ssh.SshTarget;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.NodeRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * debvisor-provision-node against real namespace nodes (real sshd, real dpkg, the real agent .deb
 * started from its installed unit). Node 1 (root) and 2 (a sudo user): the normal path; node 3:
 * host-key handling, then enrolment; node 4: a connection cut mid-upload. Each full install costs
 * seconds, so later tests reuse nodes an earlier one installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProvisionNodesTest {

  @TempDir static Path tmp;
  private static TestNodes nodes;
  private static Path agentDeb;

  @BeforeAll
  static void startNodes() throws Exception {
    assumeTrue(
        Boolean.parseBoolean(System.getProperty("debvisor.nodeTests", "true")),
        "-Ddebvisor.nodeTests=false");
    String why = TestNodes.unavailableReason();
    assumeTrue(why == null, why);
    Path debDir = Path.of(System.getProperty("debvisor.agentDebDir", "../agent/target"));
    try (Stream<Path> files = Files.list(debDir)) {
      agentDeb =
          files
              .filter(p -> p.getFileName().toString().endsWith("_all.deb"))
              .findFirst()
              .orElse(null);
    } catch (IOException e) {
      agentDeb = null;
    }
    assumeTrue(
        agentDeb != null,
        "no agent .deb in " + debDir + ": build it first (./mvnw -pl agent -am package)");
    nodes = TestNodes.create(TestNodes.runDirectory("provision"), "dvt", "10.234", 4);
  }

  @AfterAll
  static void stopNodes() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  private record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = DebvisorCli.provisionNode(null);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static List<String> common(Path knownHosts) {
    // The machine's ~/.ssh/config must not redirect the test nodes.
    return List.of(
        "--ssh-config",
        "none",
        "--profile",
        "ceph",
        "--identity",
        nodes.clientKey().toString(),
        "--known-hosts",
        knownHosts.toString(),
        "--agent-deb",
        agentDeb.toString(),
        "--health-timeout",
        "90s");
  }

  private static String[] args(Path knownHosts, String... extra) {
    List<String> all = new ArrayList<>(common(knownHosts));
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }

  @Test
  @Order(1)
  void provisionsARootAndASudoLoginThenASecondRunChangesNothing() throws Exception {
    String ops = addSudoUser(2);
    Run first = cli(args(nodes.knownHosts(), "--host", nodes.host(1), "--host", ops, "-o", "json"));
    assertThat(first.exit()).as(first.out() + first.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(first.out());
    assertThat(json.path("ok").asBoolean()).isTrue();
    for (JsonNode host : json.path("hosts")) {
      assertThat(host.path("ok").asBoolean()).isTrue();
      assertThat(host.path("changed").asBoolean()).isTrue();
      assertThat(host.path("steps")).hasSize(8);
    }
    assertThat(json.path("hosts").get(1).path("steps").get(1).path("detail").asText())
        .contains(", sudo,");
    assertThat(json.path("hosts").get(0).path("steps").get(1).path("detail").asText())
        .doesNotContain(", sudo,");
    // Progress went to stderr, one line per step and host.
    assertThat(first.err()).contains("install", "changed", "wait-healthy");
    for (int i = 1; i <= 2; i++) {
      Path root = nodes.root(i);
      assertThat(root.resolve("usr/share/debvisor-agent/debvisor-agent.jar")).exists();
      assertThat(Files.readString(root.resolve("etc/debvisor/profile")).strip()).isEqualTo("ceph");
      assertThat(Files.readString(root.resolve("etc/sysctl.d/60-debvisor.conf")))
          .contains("vm.swappiness = 10");
      // Written by start-stop-daemon (--output) when it started the installed agent.
      assertThat(root.resolve("var/log/debvisor-agent.log")).exists();
    }
    // The sudo login installed as root, not as itself.
    assertThat(Files.getOwner(nodes.root(2).resolve("etc/debvisor/agent.yaml")).getName())
        .isEqualTo("root");

    Run second = cli(args(nodes.knownHosts(), "--host", nodes.host(1), "--host", ops));
    assertThat(second.exit()).as(second.out() + second.err()).isZero();
    assertThat(second.out())
        .contains("2 host(s): 2 ok (0 changed, 2 unchanged), 0 failed")
        .contains("nothing changed")
        .doesNotContain(" changed   ");
  }

  /** A login "ops" on node {@code i} with the test key and passwordless sudo; its user@address. */
  private static String addSudoUser(int i) throws Exception {
    Path root = nodes.root(i);
    chroot(root, "useradd", "--create-home", "--shell", "/bin/sh", "ops");
    // No password, but not locked: sshd (without PAM) refuses locked accounts even with a key.
    chroot(root, "usermod", "-p", "*", "ops");
    Files.writeString(root.resolve("etc/sudoers.d/ops"), "ops ALL=(ALL) NOPASSWD: ALL\n");
    Path ssh = root.resolve("home/ops/.ssh");
    Files.createDirectories(ssh);
    Files.copy(root.resolve("root/.ssh/authorized_keys"), ssh.resolve("authorized_keys"));
    chroot(root, "chown", "-R", "ops:ops", "/home/ops/.ssh");
    return "ops@" + nodes.address(i);
  }

  @Test
  @Order(2)
  void hostKeyMismatchFailsHardShowingBothFingerprintsAndUploadsNothing() throws Exception {
    // known_hosts claims node 3 has node 1's key.
    String node1Line = nodes.knownHostsLine(1);
    String node3Line = nodes.knownHostsLine(3);
    String forged = nodes.address(3) + node1Line.substring(node1Line.indexOf(' '));
    Path knownHosts = tmp.resolve("forged_known_hosts");
    Files.writeString(knownHosts, "# test\n" + forged + "\n");

    Run run = cli(args(knownHosts, "--host", nodes.host(3)));

    assertThat(run.exit()).isEqualTo(1);
    String expectedFp = fingerprint(node1Line);
    String presentedFp = fingerprint(node3Line);
    assertThat(expectedFp).isNotEqualTo(presentedFp);
    assertThat(run.out())
        .contains("HOST KEY MISMATCH")
        .contains(expectedFp)
        .contains(presentedFp)
        .contains("line 2")
        .contains("failed at connect");
    assertThat(nodes.root(3).resolve("var/cache/debvisor")).doesNotExist();
    assertThat(nodes.root(3).resolve("root/.debvisor-staging")).doesNotExist();
    assertThat(Files.readString(knownHosts)).isEqualTo("# test\n" + forged + "\n");
  }

  @Test
  @Order(3)
  void unknownHostIsRefusedUnlessNewKeysMayBeAcceptedThenRecorded() throws Exception {
    Path knownHosts = tmp.resolve("empty_known_hosts");
    Files.writeString(knownHosts, "");

    Run refused = cli(args(knownHosts, "--host", nodes.host(3)));
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.out())
        .contains("is not in " + knownHosts)
        .contains(fingerprint(nodes.knownHostsLine(3)))
        .contains("--accept-new-host-key");
    assertThat(Files.readString(knownHosts)).isEmpty();
    assertThat(nodes.root(3).resolve("var/cache/debvisor")).doesNotExist();

    Run accepted = cli(args(knownHosts, "--host", nodes.host(3), "--accept-new-host-key"));
    assertThat(accepted.exit()).as(accepted.out()).isZero();
    assertThat(accepted.out()).contains("new host key trusted and recorded");
    String recorded = Files.readString(knownHosts).strip();
    assertThat(fingerprint(recorded)).isEqualTo(fingerprint(nodes.knownHostsLine(3)));
    assertThat(recorded).startsWith(nodes.address(3) + " ");

    // Now known: a plain run works without the flag and changes nothing.
    Run again = cli(args(knownHosts, "--host", nodes.host(3)));
    assertThat(again.exit()).as(again.out()).isZero();
    assertThat(again.out()).contains("1 ok (0 changed, 1 unchanged)");
  }

  @Test
  @Order(4)
  void connectionCutMidUploadFailsThatStepAndARerunCompletes() throws Exception {
    SshTarget target = SshTarget.parse(nodes.host(4));
    AtomicBoolean cut = new AtomicBoolean();
    ProgressListener cutter =
        new ProgressListener() {
          @Override
          public void uploaded(SshTarget t, long bytes) {
            if (bytes > 1_000_000 && cut.compareAndSet(false, true)) {
              try {
                nodes.killConnections(4);
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            }
          }
        };
    ProvisionPlan plan =
        new ProvisionPlan(
            new PreseedDataLoader().fromClasspath().profiles().get("ceph"),
            agentDeb,
            null,
            null,
            null,
            new AgentProbe(AgentProbe.Enrolment.nodeCertificate()),
            Duration.ofSeconds(60),
            Duration.ofMinutes(5),
            Duration.ofSeconds(90));
    HostResult result;
    try (SshConnector connector =
        new SshConnector(
            new SshConnector.Settings(
                nodes.clientKey(),
                new KnownHostsFile(nodes.knownHosts()),
                false,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10)))) {
      result =
          new Provisioner(connector, plan, Provisioner.standardSteps(), cutter).provision(target);
    }
    assertThat(cut).isTrue();
    assertThat(result.ok()).isFalse();
    assertThat(result.failure().step()).isEqualTo("upload-agent");
    assertThat(result.failure().detail()).contains("connection to " + target).contains("lost");
    // The cut upload never reached its final name.
    assertThat(nodes.root(4).resolve("var/cache/debvisor/debvisor-agent.deb")).doesNotExist();

    Run rerun = cli(args(nodes.knownHosts(), "--host", nodes.host(4)));
    assertThat(rerun.exit()).as(rerun.out()).isZero();
    assertThat(nodes.root(4).resolve("var/cache/debvisor/debvisor-agent.deb")).exists();
  }

  @Test
  @Order(5)
  void parallelHostsWithOneUnreachableExitNonZeroAndNameIt() throws Exception {
    // Port 2 on node 1: nothing listens there, so the connection is refused at once.
    String unreachable = nodes.host(1) + ":2";
    Run run =
        cli(
            args(
                nodes.knownHosts(),
                "--host",
                nodes.host(1),
                "--host",
                unreachable,
                "--host",
                nodes.host(2),
                "--parallel",
                "3",
                "-o",
                "json"));
    assertThat(run.exit()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("ok").asBoolean()).isFalse();
    JsonNode hosts = json.path("hosts");
    assertThat(hosts).hasSize(3);
    assertThat(hosts.get(0).path("ok").asBoolean()).isTrue();
    assertThat(hosts.get(2).path("ok").asBoolean()).isTrue();
    JsonNode bad = hosts.get(1);
    assertThat(bad.path("host").asText()).isEqualTo(unreachable);
    assertThat(bad.path("failedStep").asText()).isEqualTo("connect");
    assertThat(bad.path("error").asText())
        .contains("cannot connect to " + unreachable)
        .contains("connection refused");

    Run table = cli(args(nodes.knownHosts(), "--host", unreachable));
    assertThat(table.exit()).isEqualTo(1);
    assertThat(table.out()).contains(unreachable + " failed at connect").contains("FAILED");
  }

  @Test
  @Order(7)
  void enrolsWithARealControllerThenARerunSendsNoToken() throws Exception {
    // Nodes 3 and 2 have the agent installed already (earlier tests): this run adds enrolment.
    // The nodes reach this machine through their veth: node 1's host side is 10.234.0.5.
    String hostSide = "10.234.0.5";
    try (RunningController ctl =
        RunningController.start(
            tmp.resolve("controller"),
            s ->
                s.withListen("0.0.0.0", 0)
                    .withCertificates(
                        new CertificatePolicy(
                            Duration.ofDays(7), Duration.ofDays(2), List.of(hostSide))))) {
      String token =
          ctl.operator()
              .createBootstrapToken(
                  CreateBootstrapTokenRequest.newBuilder()
                      .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(3600))
                      .setProfile("ceph")
                      .build())
              .getToken();
      Path tokenFile = tmp.resolve("token");
      Files.writeString(tokenFile, token + "\n");
      String controller = hostSide + ":" + ctl.controller.address().getPort();
      String[] enrolArgs =
          args(
              nodes.knownHosts(),
              "--host",
              nodes.host(3),
              "--controller",
              controller,
              "--ca-file",
              ctl.caFile().toString(),
              "--token-file",
              tokenFile.toString());

      Run run = cli(enrolArgs);

      assertThat(run.exit()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains("enrolled").doesNotContain(token);
      Path root = nodes.root(3);
      assertThat(Files.getPosixFilePermissions(root.resolve("etc/debvisor/bootstrap-token")))
          .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      assertThat(root.resolve("var/lib/debvisor/pki/node.pem")).exists();
      var listed =
          ctl.operator()
              .listNodes(ListNodesRequest.newBuilder().setSelector("profile=ceph").build());
      assertThat(listed.getNodesList())
          .extracting(NodeRecord::getHostname)
          .containsExactly("dvt-node-3");

      Run again = cli(enrolArgs);
      assertThat(again.exit()).as(again.out()).isZero();
      assertThat(again.out())
          .contains("node already enrolled, no token sent")
          .contains("1 ok (0 changed, 1 unchanged)");

      // Without --token/--token-file a token is minted per host with the operator token.
      Path operatorToken = tmp.resolve("operator-token");
      Files.writeString(operatorToken, ctl.operatorToken() + "\n");
      Run minted =
          cli(
              args(
                  nodes.knownHosts(),
                  "--host",
                  nodes.host(2),
                  "--controller",
                  controller,
                  "--ca-file",
                  ctl.caFile().toString(),
                  "--operator-token-file",
                  operatorToken.toString()));

      assertThat(minted.exit()).as(minted.out() + minted.err()).isZero();
      String mintedToken =
          Files.readString(nodes.root(2).resolve("etc/debvisor/bootstrap-token")).strip();
      assertThat(mintedToken).startsWith("dvb_").isNotEqualTo(token);
      assertThat(minted.out() + minted.err()).contains("enrolled").doesNotContain(mintedToken);
      assertThat(
              ctl.operator()
                  .listNodes(ListNodesRequest.newBuilder().setSelector("profile=ceph").build())
                  .getNodesList())
          .extracting(NodeRecord::getHostname)
          .containsExactlyInAnyOrder("dvt-node-2", "dvt-node-3");
    }
  }

  @Test
  @Order(8)
  void mintingWithoutAReadableOperatorTokenIsRefusedBeforeAnyHostIsContacted() throws Exception {
    Run run =
        cli(
            args(
                nodes.knownHosts(),
                "--host",
                nodes.host(2),
                "--controller",
                "127.0.0.1:1",
                "--ca-file",
                nodes.knownHosts().toString(),
                "--operator-token-file",
                tmp.resolve("missing-operator-token").toString()));

    assertThat(run.exit()).isEqualTo(DebvisorCli.EXIT_INVALID);
    assertThat(run.err())
        .contains("operator token file")
        .contains("missing-operator-token")
        .contains("--token-file");
    assertThat(run.out()).doesNotContain("dvt-node-2");
  }

  private static void chroot(Path root, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("chroot", root.toString()));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  private static String fingerprint(String knownHostsLine) throws Exception {
    String keyPart = knownHostsLine.substring(knownHostsLine.indexOf(' ') + 1);
    PublicKey key =
        AuthorizedKeyEntry.parseAuthorizedKeyEntry(keyPart)
            .resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
    return KeyUtils.getFingerPrint(key);
  }
}
