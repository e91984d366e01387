package org.debvisor.controller.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.debvisor.agent.packaging.CommandRunner;
import org.debvisor.agent.packaging.CommandRunner.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance run of issue 19, in the slow suite (-Ddebvisor.slow=true; root, mmdebstrap, podman
 * and the Debian mirror): scripts/release.sh twice on two fresh clones of this commit gives the
 * same SHA256SUMS, the README's verification commands pass, and both OCI archives, loaded by
 * podman, run: the controller image answers a gRPC health check, the agent image serves /metrics,
 * both on loopback.
 *
 * <p>The JRE base image is built once, by the script release.sh uses, and given to both releases
 * (building it takes most of a release's time; its own reproducibility is mmdebstrap's). To reuse
 * one built before: -Ddebvisor.release.baseImage=TAR -Ddebvisor.release.baseSbom=JSON.
 */
class ReleaseBuildSlowTest {

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(45);
  // Bounded waits while a container's JVM starts (minutes under the shared machine's load).
  private static final int START_ATTEMPTS = 180;

  @TempDir Path dir;

  @Test
  void twoReleasesOfOneCommitAreIdenticalVerifyAndBothImagesServeUnderPodman() throws Exception {
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "slow suite only (-Ddebvisor.slow=true)");
    CommandRunner runner = new CommandRunner(dir, BUILD_TIMEOUT);
    Path checkout = ReleaseRepository.checkoutRoot();
    String commit =
        runner
            .run(List.of("git", "-C", checkout.toString(), "rev-parse", "HEAD"))
            .requireSuccess()
            .stdout()
            .strip();
    String version = releaseVersion(checkout);
    Path feed = Path.of(getClass().getResource("/vulnscan/feed").toURI());
    List<Path> base = baseImage(runner, checkout, commit);

    try (ThrowawayKeys keys = new ThrowawayKeys(dir)) {
      Path key = keys.secretKey("release");
      Path first = release(runner, checkout, commit, version, key, feed, base, "one");

      String sums = Files.readString(first.resolve("SHA256SUMS"));
      assertThat(sums)
          .contains("  debvisor-agent_" + version + "_all.deb\n")
          .contains("  debvisor-controller_" + version + "_all.deb\n")
          .contains("  debvisor-controller-" + version + ".jar\n")
          .contains("  debvisor-controller-" + version + "-oci.tar\n")
          .contains("  debvisor-agent-" + version + "-oci.tar\n")
          .contains("  debvisor-controller-" + version + "-oci.tar.cdx.json\n")
          .contains("  debvisor-agent_" + version + "_all.deb.cdx.json\n")
          .contains("  CHANGELOG-" + version + ".md\n");
      assertThat(inDir(runner, first, "sha256sum", "-c", "SHA256SUMS").exitCode()).isZero();
      Path home = keys.emptyHome("verify");
      runner
          .run(
              List.of(
                  "gpg",
                  "--homedir",
                  home.toString(),
                  "--batch",
                  "--import",
                  first.resolve("SIGNING-KEY.asc").toString()))
          .requireSuccess();
      CommandResult verify =
          inDir(
              runner,
              first,
              "gpg",
              "--homedir",
              home.toString(),
              "--batch",
              "--verify",
              "SHA256SUMS.asc",
              "SHA256SUMS");
      assertThat(verify.exitCode()).as(verify.stderr()).isZero();

      // The images before the second build: a broken image fails the test an hour sooner.
      try (PodmanStore podman = new PodmanStore(dir.resolve("podman"))) {
        assertControllerImageServes(
            podman, first.resolve("debvisor-controller-" + version + "-oci.tar"));
        assertAgentImageServes(podman, first.resolve("debvisor-agent-" + version + "-oci.tar"));
      }

      Path second = release(runner, checkout, commit, version, key, feed, base, "two");
      assertThat(Files.readString(second.resolve("SHA256SUMS"))).isEqualTo(sums);
    }
  }

  /** The base image tar and its SBOM: given by properties, else built here once. */
  private List<Path> baseImage(CommandRunner runner, Path checkout, String commit)
      throws Exception {
    String givenImage = System.getProperty("debvisor.release.baseImage", "");
    if (!givenImage.isEmpty()) {
      return List.of(
          Path.of(givenImage), Path.of(System.getProperty("debvisor.release.baseSbom", "")));
    }
    String epoch =
        runner
            .run(List.of("git", "-C", checkout.toString(), "log", "-1", "--format=%ct", commit))
            .requireSuccess()
            .stdout()
            .strip();
    Path image = dir.resolve("base-image.tar");
    Path sbom = dir.resolve("base-image.cdx.json");
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("SOURCE_DATE_EPOCH", epoch);
    runner
        .run(
            List.of(
                checkout.resolve("scripts/lib/release-base-image.sh").toString(),
                image.toString(),
                sbom.toString()),
            environment)
        .requireSuccess();
    return List.of(image, sbom);
  }

  private Path release(
      CommandRunner runner,
      Path checkout,
      String commit,
      String version,
      Path key,
      Path feed,
      List<Path> base,
      String name)
      throws Exception {
    Path clone = dir.resolve("clone-" + name);
    runner
        .run(List.of("git", "clone", "-q", "--no-local", checkout.toString(), clone.toString()))
        .requireSuccess();
    runner.run(List.of("git", "-C", clone.toString(), "checkout", "-q", commit)).requireSuccess();
    Path out = dir.resolve("release-" + name);
    CommandResult result =
        runner.run(
            List.of(
                clone.resolve("scripts/release.sh").toString(),
                version,
                "--signing-key",
                key.toString(),
                "--osv-feed",
                feed.toString(),
                "--base-image",
                base.get(0).toString(),
                "--base-sbom",
                base.get(1).toString(),
                "--out",
                out.toString()));
    assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
    return out;
  }

  /**
   * Runs the controller image as documented (state volume on /var/lib/debvisor) and asks
   * grpc.health.v1.Health over TLS with the CA it created there.
   */
  private void assertControllerImageServes(PodmanStore podman, Path archive) throws Exception {
    String image = podman.load(archive);
    assertThat(podman.user(image)).isEqualTo("65532:65532");
    Path state = Files.createDirectories(dir.resolve("controller-state"));
    chownToImageUser(state);
    int port = freePort();
    String container =
        podman.start(
            "debvisor-release-test-controller",
            image,
            List.of("--volume", state + ":/var/lib/debvisor"),
            List.of(
                "controller", "serve", "--listen", "127.0.0.1:" + port, "--rest-listen", "off"));
    Path ca = state.resolve("pki/ca.pem");
    HealthCheckResponse.ServingStatus status = null;
    for (int attempt = 0; attempt < START_ATTEMPTS && status == null; attempt++) {
      Thread.sleep(1000);
      if (attempt % 10 == 9 && !podman.running(container)) {
        break;
      }
      if (Files.exists(ca)) {
        status = healthOrNull(port, ca);
      }
    }
    assertThat(status)
        .as("controller image health; its output:\n" + podman.logs(container))
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    // Created inside the container by the image's unprivileged user, not root.
    assertThat(Files.getAttribute(ca, "unix:uid")).isEqualTo(65532);
  }

  /**
   * Runs the agent image with a configuration that serves gRPC and the ops HTTP endpoints on
   * loopback (no controller, so no enrolment) and reads its /metrics.
   */
  private void assertAgentImageServes(PodmanStore podman, Path archive) throws Exception {
    String image = podman.load(archive);
    assertThat(podman.user(image)).isEqualTo("65532:65532");
    int grpcPort = freePort();
    int httpPort = freePort();
    Path config =
        Files.writeString(
            dir.resolve("agent.yaml"),
            "node:\n  id: release-image-test\n"
                + "grpc:\n  listen: [\"127.0.0.1:"
                + grpcPort
                + "\"]\n"
                + "http:\n  listen: \"127.0.0.1:"
                + httpPort
                + "\"\n"
                + "logging:\n  format: text\n");
    String container =
        podman.start(
            "debvisor-release-test-agent",
            image,
            List.of("--volume", config + ":/etc/debvisor/agent.yaml:ro"),
            List.of());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest metrics =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<String> answer = null;
    for (int attempt = 0; attempt < START_ATTEMPTS && answer == null; attempt++) {
      Thread.sleep(1000);
      if (attempt % 10 == 9 && !podman.running(container)) {
        break;
      }
      try {
        answer = http.send(metrics, HttpResponse.BodyHandlers.ofString());
      } catch (IOException notYet) {
        // Not listening yet.
      }
    }
    assertThat(answer)
        .as("agent image /metrics; its output:\n" + podman.logs(container))
        .isNotNull();
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).containsPattern("debvisor_cluster_health\\{[^}]*subsystem=\"node\"");
  }

  private void chownToImageUser(Path path) throws Exception {
    new CommandRunner(dir, Duration.ofSeconds(30))
        .run(List.of("chown", "65532:65532", path.toString()))
        .requireSuccess();
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  private static HealthCheckResponse.ServingStatus healthOrNull(int port, Path ca)
      throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port)
            .sslContext(GrpcSslContexts.forClient().trustManager(ca.toFile()).build())
            .build();
    try {
      return HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance())
          .getStatus();
    } catch (StatusRuntimeException e) {
      return null;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static CommandResult inDir(CommandRunner runner, Path dir, String... command)
      throws Exception {
    List<String> cd = new ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec \"$@\""));
    cd.add(dir.toString());
    cd.addAll(List.of(command));
    return runner.run(cd);
  }

  private static String releaseVersion(Path checkout) throws Exception {
    Matcher version =
        Pattern.compile("<artifactId>debvisor-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(checkout.resolve("pom.xml")));
    assertThat(version.find()).isTrue();
    return version.group(1).replace("-SNAPSHOT", "");
  }
}
