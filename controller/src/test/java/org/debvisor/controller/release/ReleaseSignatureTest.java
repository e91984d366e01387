package org.debvisor.controller.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.debvisor.agent.packaging.CommandRunner;
import org.debvisor.agent.packaging.CommandRunner.CommandResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checksums and signature scripts/release.sh publishes (scripts/lib/release-sign.sh), checked
 * the way the README tells users to: {@code sha256sum -c SHA256SUMS} and {@code gpg --verify
 * SHA256SUMS.asc SHA256SUMS} with the release key imported into a fresh keyring.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseSignatureTest {

  // Keys once per class: generating one costs more than the checks.
  private ThrowawayKeys keys;
  private Path signer;
  private Path other;

  @TempDir Path dir;
  private CommandRunner runner;
  private Path release;

  @BeforeAll
  void makeKeys(@TempDir Path keyDir) throws Exception {
    keys = new ThrowawayKeys(keyDir);
    signer = keys.secretKey("signer");
    other = keys.publicKeyOnly("other");
  }

  @AfterAll
  void stopAgents() throws Exception {
    keys.close();
  }

  @BeforeEach
  void signedRelease() throws Exception {
    runner = new CommandRunner(dir, Duration.ofSeconds(60));
    release = Files.createDirectories(dir.resolve("release"));
    Files.writeString(release.resolve("debvisor-agent_1.4.0_all.deb"), "agent package bytes");
    Files.writeString(release.resolve("debvisor-controller-1.4.0.jar"), "controller jar bytes");

    sign(signer, release).requireSuccess();
  }

  @Test
  void checksumsAndSignatureVerify() throws Exception {
    assertThat(Files.readAllLines(release.resolve("SHA256SUMS")))
        .extracting(line -> line.substring(66))
        .containsExactly(
            "SIGNING-KEY.asc", "debvisor-agent_1.4.0_all.deb", "debvisor-controller-1.4.0.jar");

    CommandResult sums = inRelease("sha256sum", "-c", "SHA256SUMS");
    CommandResult signature = verify(release.resolve("SIGNING-KEY.asc"));

    assertThat(sums.exitCode()).isZero();
    assertThat(sums.stdout()).contains("debvisor-controller-1.4.0.jar: OK");
    assertThat(signature.exitCode()).as(signature.stderr()).isZero();
    assertThat(signature.stderr()).contains("Good signature from \"DebVisor signer");
  }

  @Test
  void aTamperedArtifactFailsTheChecksums() throws Exception {
    Files.writeString(
        release.resolve("debvisor-controller-1.4.0.jar"), "!", StandardOpenOption.APPEND);

    CommandResult sums = inRelease("sha256sum", "-c", "SHA256SUMS");

    assertThat(sums.exitCode()).isEqualTo(1);
    assertThat(sums.stdout())
        .contains("debvisor-controller-1.4.0.jar: FAILED")
        .contains("debvisor-agent_1.4.0_all.deb: OK");
  }

  @Test
  void checksumsReWrittenForATamperedArtifactFailTheSignature() throws Exception {
    Path jar = release.resolve("debvisor-controller-1.4.0.jar");
    Files.writeString(jar, "!", StandardOpenOption.APPEND);
    // The tamperer also fixes up SHA256SUMS; only the signature can tell.
    String forged = runner.run(List.of("sha256sum", jar.toString())).requireSuccess().stdout();
    Path sums = release.resolve("SHA256SUMS");
    Files.write(
        sums,
        Files.readAllLines(sums).stream()
            .map(
                line ->
                    line.endsWith("debvisor-controller-1.4.0.jar")
                        ? forged.substring(0, 64) + "  debvisor-controller-1.4.0.jar"
                        : line)
            .toList());

    CommandResult checksums = inRelease("sha256sum", "-c", "SHA256SUMS");
    CommandResult signature = verify(release.resolve("SIGNING-KEY.asc"));

    assertThat(checksums.exitCode()).isZero();
    assertThat(signature.exitCode()).isEqualTo(1);
    assertThat(signature.stderr()).contains("BAD signature");
  }

  @Test
  void aSignatureByAnotherKeyDoesNotVerify() throws Exception {
    CommandResult signature = verify(other);

    assertThat(signature.exitCode()).isNotZero();
    assertThat(signature.stderr()).contains("No public key").doesNotContain("Good signature");
  }

  @Test
  void signingWithAnUnusableKeyWritesNothing() throws Exception {
    Path fresh = Files.createDirectories(dir.resolve("fresh"));
    Files.writeString(fresh.resolve("artifact"), "bytes");
    CommandResult result = sign(other, fresh);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("holds no secret key");
    assertThat(fresh.toFile().list()).containsExactly("artifact");
  }

  private CommandResult sign(Path key, Path target) throws Exception {
    Path lib = ReleaseRepository.checkoutRoot().resolve("scripts/lib/release-sign.sh");
    return runner.run(
        List.of(
            "bash",
            "-c",
            ". \"$1\" && debvisor_release_sign \"$2\" \"$3\"",
            "sign",
            lib.toString(),
            key.toString(),
            target.toString()));
  }

  /** gpg --verify as a user would, with only {@code publicKey} in a fresh keyring. */
  private CommandResult verify(Path publicKey) throws Exception {
    Path home = keys.emptyHome("verify");
    runner
        .run(
            List.of(
                "gpg", "--homedir", home.toString(), "--batch", "--import", publicKey.toString()))
        .requireSuccess();
    return runner.run(
        List.of(
            "gpg",
            "--homedir",
            home.toString(),
            "--batch",
            "--verify",
            release.resolve("SHA256SUMS.asc").toString(),
            release.resolve("SHA256SUMS").toString()));
  }

  /** The command run inside the release directory (the runner keeps its output files aside). */
  private CommandResult inRelease(String... command) throws Exception {
    List<String> cd = new java.util.ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec \"$@\""));
    cd.add(release.toString());
    cd.addAll(List.of(command));
    return runner.run(cd);
  }
}
