package org.debvisor.controller.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.debvisor.agent.packaging.CommandRunner.CommandResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/release.sh refuses bad input before it builds anything (exit 2) and publishes nothing in
 * --out; with good input its --preflight passes. Runs on a small fixture repository ({@link
 * ReleaseRepository}), so no Maven build starts whatever the outcome.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseScriptRefusalTest {

  private ThrowawayKeys keys;
  private Path goodKey;
  private Path publicOnly;
  private Path protectedKey;

  @TempDir Path dir;
  private ReleaseRepository repo;
  private Path out;
  private Path feed;

  @BeforeAll
  void makeKeys(@TempDir Path keyDir) throws Exception {
    keys = new ThrowawayKeys(keyDir);
    goodKey = keys.secretKey("release");
    publicOnly = keys.publicKeyOnly("public");
    protectedKey = keys.protectedSecretKey("locked");
  }

  @AfterAll
  void stopAgents() throws Exception {
    keys.close();
  }

  @BeforeEach
  void repository() throws Exception {
    repo =
        ReleaseRepository.create(
            Files.createDirectories(dir.resolve("repo")),
            Files.createDirectories(dir.resolve("scratch")));
    out = dir.resolve("published");
    feed = Files.writeString(dir.resolve("osv.json"), "[]");
  }

  @Test
  void preflightPassesWithGoodInputAndBuildsNothing() throws Exception {
    CommandResult result = release(ReleaseRepository.RELEASE, "--preflight");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .contains("preflight passed: would release " + ReleaseRepository.RELEASE);
    assertThat(out).doesNotExist();
  }

  @Test
  void refusesADirtyWorkingTree() throws Exception {
    Files.writeString(
        repo.root().resolve("docs/CHANGELOG.md"),
        "\n- uncommitted\n",
        java.nio.file.StandardOpenOption.APPEND);

    assertRefused(
        release(ReleaseRepository.RELEASE),
        "the working tree has uncommitted changes (above); commit or stash them");
  }

  @Test
  void refusesAnUntrackedFile() throws Exception {
    Files.writeString(repo.root().resolve("notes.txt"), "scratch\n");

    assertRefused(release(ReleaseRepository.RELEASE), "the working tree has uncommitted changes");
  }

  @Test
  void refusesAVersionThePomsDoNotCarry() throws Exception {
    assertRefused(
        release("1.5.0"),
        "VERSION 1.5.0 does not match the poms' version 1.4.0-SNAPSHOT; release 1.4.0");
    assertRefused(release("1.4.0-SNAPSHOT"), "VERSION 1.4.0-SNAPSHOT is a snapshot");
    assertRefused(release("one"), "VERSION one is not MAJOR.MINOR.PATCH");
  }

  @Test
  void refusesAVersionOtherThanHeadsTag() throws Exception {
    repo.git("tag", "v1.3.9");

    assertRefused(release(ReleaseRepository.RELEASE), "HEAD is tagged v1.3.9 but VERSION is 1.4.0");
  }

  @Test
  void refusesAVersionWithoutChangelogSection() throws Exception {
    Path pom = repo.root().resolve("pom.xml");
    Files.writeString(pom, Files.readString(pom).replace("1.4.0-SNAPSHOT", "1.6.0-SNAPSHOT"));
    repo.commitAll("next version");

    assertRefused(
        releaseWith("1.6.0", "--signing-key", goodKey.toString()),
        "docs/CHANGELOG.md has no section '## 1.6.0'");
  }

  @Test
  void refusesWithoutSigningKey() throws Exception {
    assertRefused(
        repo.release(ReleaseRepository.RELEASE, "--skip-scan", "--out", out.toString()),
        "no signing key: pass --signing-key PATH");
    assertRefused(
        releaseWith(ReleaseRepository.RELEASE, "--signing-key", dir.resolve("none.asc").toString()),
        "signing key " + dir.resolve("none.asc") + " does not exist or is not readable");
  }

  @Test
  void refusesAKeyThatCannotSign() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.asc"), "not a key\n");

    assertRefused(
        releaseWith(ReleaseRepository.RELEASE, "--signing-key", garbage.toString()),
        "signing key " + garbage + " is not an OpenPGP key");
    assertRefused(
        releaseWith(ReleaseRepository.RELEASE, "--signing-key", publicOnly.toString()),
        "signing key " + publicOnly + " holds no secret key");
    assertRefused(
        releaseWith(ReleaseRepository.RELEASE, "--signing-key", protectedKey.toString()),
        "signing key " + protectedKey + " cannot sign");
  }

  @Test
  void refusesAMissingFeed() throws Exception {
    assertRefused(
        repo.release(
            ReleaseRepository.RELEASE,
            "--signing-key",
            goodKey.toString(),
            "--osv-feed",
            dir.resolve("no-feed").toString(),
            "--out",
            out.toString()),
        "OSV feed " + dir.resolve("no-feed") + " does not exist");
    assertRefused(
        repo.release(
            ReleaseRepository.RELEASE,
            "--signing-key",
            goodKey.toString(),
            "--out",
            out.toString()),
        "no vulnerability feed: pass --osv-feed PATH");
  }

  @Test
  void refusesAnOutputDirectoryThatHoldsFiles() throws Exception {
    Path earlier = Files.createDirectories(out).resolve("SHA256SUMS");
    Files.writeString(earlier, "earlier release\n");

    CommandResult result = release(ReleaseRepository.RELEASE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains(out + " already holds files");
    assertThat(Files.readString(earlier)).isEqualTo("earlier release\n");
    assertThat(out.toFile().list()).containsExactly("SHA256SUMS");
  }

  @Test
  void theRealChangelogHasASectionForThePomsVersion() throws Exception {
    Path checkout = ReleaseRepository.checkoutRoot();
    Matcher version =
        Pattern.compile("<artifactId>debvisor-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(checkout.resolve("pom.xml")));
    assertThat(version.find()).isTrue();
    String release = version.group(1).replace("-SNAPSHOT", "");

    assertThat(Files.readAllLines(checkout.resolve("docs/CHANGELOG.md")))
        .as("docs/CHANGELOG.md needs a section for the next release")
        .anyMatch(line -> line.equals("## " + release) || line.startsWith("## " + release + " "));
  }

  private CommandResult release(String version, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("--signing-key", goodKey.toString()));
    args.addAll(List.of(more));
    return releaseWith(version, args.toArray(String[]::new));
  }

  /** The release with --skip-scan, a stand-in base image and --out, plus these arguments. */
  private CommandResult releaseWith(String version, String... more) throws Exception {
    Path base = Files.writeString(dir.resolve("base.tar"), "stand-in");
    List<String> args =
        new ArrayList<>(
            List.of(
                version,
                "--skip-scan",
                "--base-image",
                base.toString(),
                "--base-sbom",
                base.toString(),
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    return repo.release(args.toArray(String[]::new));
  }

  private void assertRefused(CommandResult result, String message) {
    assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(2);
    assertThat(result.stderr()).contains("release: error: " + message);
    assertThat(result.stdout()).doesNotContain("==> building");
    assertThat(out).as("nothing published in --out").doesNotExist();
  }
}
