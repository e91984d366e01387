package org.debvisor.controller.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.util.Durations;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.cli.DebvisorCli;
import org.debvisor.controller.mirror.ConsoleProgress;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.pki.CertificatePolicy;
import org.debvisor.controller.server.RunningController;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.ListNodesRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in ({@code -Ddebvisor.slow=true}): the image-mode path end to end under QEMU/TCG, as an
 * operator runs it. {@code debvisor image build}, {@code iso build --mode image} for a node that
 * enrols with a real controller, then {@code iso test --mode image}: install, first boot from the
 * disk, SSH with the node's key, the agent answering Status, and the node in the controller's
 * inventory. A node.yaml naming a disk the machine lacks must stop before anything is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageInstallSlowTest {

  private static final String HASH =
      "$6$debvisorexample$rR6kmZB8E.h//2ih6FfpD9YQfaMRN20lQtyYwmwkPTVSVZibjHqFQZbUTOmSaJt11gf.TmnM7i8HkNgyiEk7Q.";

  @TempDir Path shared;

  private final PrintWriter console = new PrintWriter(System.out, true);
  private Path image;
  private Path key;

  @BeforeEach
  void optIn() {
    assumeTrue(
        Boolean.getBoolean("debvisor.slow"),
        "QEMU install tests are opt-in: run with -Ddebvisor.slow=true (5-15 min each under TCG)");
  }

  @BeforeAll
  void buildImageAndKey() throws Exception {
    if (!Boolean.getBoolean("debvisor.slow")) {
      return;
    }
    image = shared.resolve("image");
    assertThat(
            cli(
                "image",
                "build",
                "--arch",
                "amd64",
                "--profile",
                "ceph",
                "--out",
                image.toString()))
        .isZero();
    key = shared.resolve("id_ed25519");
    Process keygen =
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
            .inheritIO()
            .start();
    assertThat(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0).isTrue();
  }

  @Test
  void installedNodeAnswersStatusAndEnrols(@TempDir Path dir) throws Exception {
    try (RunningController controller =
        RunningController.start(
            dir.resolve("controller"),
            s ->
                s.withCertificates(
                    new CertificatePolicy(
                        CertificatePolicy.DEFAULT.nodeValidity(),
                        CertificatePolicy.DEFAULT.renewBefore(),
                        java.util.List.of("10.0.2.2"))))) {
      String token =
          controller
              .operator()
              .createBootstrapToken(
                  CreateBootstrapTokenRequest.newBuilder()
                      .setTtl(Durations.fromMinutes(60))
                      .setHostname("imgnode")
                      .build())
              .getToken();
      int port = Integer.parseInt(controller.target().substring("127.0.0.1:".length()));
      // QEMU's user network shows the host's loopback to the guest as 10.0.2.2.
      String agent =
          "agent:\n  controller: 10.0.2.2:"
              + port
              + "\n  caFingerprint: "
              + fingerprint(controller.caFile())
              + "\n  token: "
              + token
              + "\n";
      Path node = writeNode(dir, "/dev/vda", agent);
      Path iso = buildMedia(dir, node, controller.caFile());

      ImageTestReport report =
          new ImageMediaBootTest(new QemuLauncher(), new ConsoleProgress(console))
              .run(
                  new IsoTestRequest(
                      iso, Architecture.AMD64, false, Duration.ofMinutes(25), dir.resolve("work")),
                  key,
                  "root");
      console.println("phases (image, amd64 BIOS): " + seconds(report.reached()));

      assertThat(report.reason()).isEmpty();
      assertThat(report.finished()).isTrue();
      assertThat(report.agentHostname()).isEqualTo("imgnode");
      assertThat(report.reached())
          .containsKeys(
              ImageInstallPhase.INSTALLED,
              ImageInstallPhase.SSH_ANSWERING,
              ImageInstallPhase.AGENT_ANSWERING,
              ImageInstallPhase.AGENT_ENROLLED);
      assertThat(
              controller.operator().listNodes(ListNodesRequest.getDefaultInstance()).getNodesList())
          .anySatisfy(n -> assertThat(n.getHostname()).isEqualTo("imgnode"));
    }
  }

  @Test
  void aDiskTheMachineLacksStopsTheInstallBeforeWriting(@TempDir Path dir) throws Exception {
    Path node = writeNode(dir, "/dev/sdz", "");
    Path iso = buildMedia(dir, node, null);

    ImageTestReport report =
        new ImageMediaBootTest(new QemuLauncher(), new ConsoleProgress(console))
            .run(
                new IsoTestRequest(
                    iso, Architecture.AMD64, false, Duration.ofMinutes(10), dir.resolve("work")),
                key,
                "root");

    assertThat(report.finished()).isFalse();
    assertThat(report.reason().orElseThrow())
        .contains("phase disk: rule disk.target: /dev/sdz does not exist on this machine")
        .contains("/dev/vda");
    assertThat(report.reached()).doesNotContainKey(ImageInstallPhase.PARTITIONED);
  }

  private Path writeNode(Path dir, String disk, String agent) throws Exception {
    String yaml =
        "profile: ceph\nhostname: imgnode\ndomain: example.org\naccounts:\n  root:\n"
            + "    passwordHash: \""
            + HASH
            + "\"\n    sshKeys:\n      - "
            + Files.readString(key.resolveSibling("id_ed25519.pub")).strip()
            + "\ndisk:\n  target: "
            + disk
            + "\n"
            + agent;
    return Files.writeString(dir.resolve("node.yaml"), yaml);
  }

  private Path buildMedia(Path dir, Path node, Path ca) throws Exception {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "iso",
                "build",
                "--mode",
                "image",
                "--image",
                image.toString(),
                "--arch",
                "amd64",
                "--node",
                node.toString(),
                "--out",
                dir.resolve("iso").toString(),
                "--quiet"));
    if (ca != null) {
      args.addAll(java.util.List.of("--controller-ca", ca.toString()));
    }
    assertThat(cli(args.toArray(String[]::new))).isZero();
    return dir.resolve("iso/debvisor-imgnode-amd64.iso");
  }

  private int cli(String... args) {
    var cli = DebvisorCli.create(null);
    cli.setOut(console);
    cli.setErr(console);
    return cli.execute(args);
  }

  private static String fingerprint(Path pem) throws Exception {
    try (var in = Files.newInputStream(pem)) {
      X509Certificate ca =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.getEncoded()));
    }
  }

  private static String seconds(Map<ImageInstallPhase, Duration> reached) {
    StringBuilder text = new StringBuilder();
    reached.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                text.append(e.getKey().label())
                    .append(' ')
                    .append(e.getValue().toSeconds())
                    .append(" s; "));
    return text.toString();
  }
}
