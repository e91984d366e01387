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
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.debvisor.agent.packaging.CommandRunner;
import org.debvisor.agent.packaging.CommandRunner.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance run of issue 19, in the slow suite (-Ddebvisor.slow=true; root, mmdebstrap and the
 * Debian mirror): scripts/release.sh twice on two fresh clones of this commit gives the same
 * SHA256SUMS, the README's verification commands pass, and the controller image's entrypoint, run
 * from the unpacked OCI archive, answers a gRPC health check.
 */
class ReleaseBuildSlowTest {

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(45);

  @TempDir Path dir;

  @Test
  void twoReleasesOfOneCommitAreIdenticalVerifyAndTheControllerImageServes() throws Exception {
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

    try (ThrowawayKeys keys = new ThrowawayKeys(dir)) {
      Path key = keys.secretKey("release");
      Path first = release(runner, checkout, commit, version, key, feed, "one");
      Path second = release(runner, checkout, commit, version, key, feed, "two");

      String sums = Files.readString(first.resolve("SHA256SUMS"));
      assertThat(Files.readString(second.resolve("SHA256SUMS"))).isEqualTo(sums);
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

      assertControllerImageServes(
          first.resolve("debvisor-controller-" + version + "-oci.tar"), dir.resolve("image"));
    }
  }

  private Path release(
      CommandRunner runner,
      Path checkout,
      String commit,
      String version,
      Path key,
      Path feed,
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
                "--out",
                out.toString()));
    assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
    return out;
  }

  private void assertControllerImageServes(Path archive, Path imageDir) throws Exception {
    Files.createDirectories(imageDir);
    OciImageRoot image = OciImageRoot.unpack(archive, imageDir);
    assertThat(image.user()).isEqualTo("65532:65532");
    assertThat(image.rootfs().resolve("usr/bin/apt-get")).doesNotExist();
    assertThat(image.rootfs().resolve("usr/lib/jvm/java-21-openjdk-amd64/bin/java")).exists();
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    List<String> command =
        image.command(List.of("controller", "serve", "--listen", "127.0.0.1:" + port));
    Path log = imageDir.resolve("controller.log");
    Process controller =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    try {
      Path ca = image.rootfs().resolve("var/lib/debvisor/pki/ca.pem");
      HealthCheckResponse.ServingStatus status = null;
      // Bounded: 120 tries about a second apart while the JVM starts and creates its CA.
      for (int attempt = 0; attempt < 120 && status == null && controller.isAlive(); attempt++) {
        Thread.sleep(1000);
        if (Files.exists(ca)) {
          status = healthOrNull(port, ca);
        }
      }
      assertThat(status)
          .as("controller image health; its output:\n" + Files.readString(log))
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    } finally {
      controller.destroy();
      if (!controller.waitFor(20, TimeUnit.SECONDS)) {
        controller.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
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
    List<String> cd = new java.util.ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec \"$@\""));
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
