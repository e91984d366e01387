package org.debvisor.controller.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.agent.packaging.CommandRunner;

/**
 * Throw-away OpenPGP keys made with gpg in their own GNUPGHOME under a test directory, exported to
 * files the way a release manager hands one to scripts/release.sh. {@link #close} stops the
 * gpg-agents it started.
 */
final class ThrowawayKeys implements AutoCloseable {

  private final Path dir;
  private final CommandRunner runner;
  private final List<Path> homes = new ArrayList<>();

  ThrowawayKeys(Path dir) {
    this.dir = dir;
    this.runner = new CommandRunner(dir, Duration.ofSeconds(60));
  }

  /** An ed25519 signing key without passphrase: its armored secret key file. */
  Path secretKey(String name) throws IOException, InterruptedException {
    return export(name, "", true);
  }

  /** Only the public half of a new key. */
  Path publicKeyOnly(String name) throws IOException, InterruptedException {
    return export(name, "", false);
  }

  /** A secret key protected by a passphrase, which a batch release cannot use. */
  Path protectedSecretKey(String name) throws IOException, InterruptedException {
    return export(name, "secret passphrase", true);
  }

  /** A fresh, empty GNUPGHOME (for verifying as a user would). */
  Path emptyHome(String name) throws IOException {
    // Short paths: gpg-agent's socket path must stay under 108 bytes.
    Path home = Files.createTempDirectory(Path.of("/tmp"), "dvk-" + name);
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    homes.add(home);
    return home;
  }

  private Path export(String name, String passphrase, boolean secret)
      throws IOException, InterruptedException {
    Path home = emptyHome(name);
    List<String> gpg =
        List.of(
            "gpg",
            "--homedir",
            home.toString(),
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase);
    List<String> generate = new ArrayList<>(gpg);
    generate.addAll(
        List.of(
            "--quick-gen-key",
            "DebVisor " + name + " <" + name + "@release-test.invalid>",
            "ed25519",
            "sign",
            "never"));
    runner.run(generate).requireSuccess();
    List<String> exportCommand = new ArrayList<>(gpg);
    exportCommand.addAll(List.of("--armor", secret ? "--export-secret-keys" : "--export"));
    String armored = runner.run(exportCommand).requireSuccess().stdout();
    Path file = dir.resolve(name + (secret ? ".secret.asc" : ".public.asc"));
    Files.writeString(file, armored);
    return file;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    for (Path home : homes) {
      runner.run(List.of("gpgconf", "--homedir", home.toString(), "--kill", "all"));
      runner.run(List.of("rm", "-rf", home.toString()));
    }
  }
}
