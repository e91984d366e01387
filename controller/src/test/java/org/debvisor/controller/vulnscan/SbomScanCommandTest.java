package org.debvisor.controller.vulnscan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.debvisor.controller.cli.DebvisorCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code debvisor sbom scan} against the fixture feed in src/test/resources/vulnscan: a critical
 * advisory whose range holds the SBOM's parser 2.4.1, one whose fix predates its logger 3.2.0, and
 * Debian records for zlib1g (one fixed before, one moderate and open).
 */
class SbomScanCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void failsOnTheCriticalMatchAndListsOnlyAffectedVersions() throws Exception {
    int exit = run("sbom", "scan", "--feed", fixture("feed"), fixture("sbom.cdx.json"));

    assertThat(exit).isEqualTo(DebvisorCli.EXIT_FAILURE);
    assertThat(out.toString().lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("CRITICAL GHSA-fixt-crit-0001 pkg:maven/com.example/parser@2.4.1"))
        .anySatisfy(
            line ->
                assertThat(line).startsWith("MODERATE DEBIAN-FIXT-0004 pkg:deb/debian/zlib1g@1:"))
        .noneSatisfy(line -> assertThat(line).contains("GHSA-fixt-crit-0002"))
        .noneSatisfy(line -> assertThat(line).contains("DEBIAN-FIXT-0003"))
        .contains(
            "scanned 4 components of 1 SBOMs against 4 advisories: 2 findings, 1 at CRITICAL or"
                + " worse");
    assertThat(err.toString()).contains("1 findings at CRITICAL or worse");
  }

  @Test
  void passesWhenNothingCriticalIsAffected(@TempDir Path dir) throws Exception {
    Path feed = Files.createDirectories(dir.resolve("feed"));
    for (String name : new String[] {"GHSA-fixt-crit-0002.json", "DEBIAN-fixt-0003.json"}) {
      Files.copy(Path.of(fixture("feed/" + name)), feed.resolve(name));
    }

    int exit = run("sbom", "scan", "--feed", feed.toString(), fixture("sbom.cdx.json"));

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("MODERATE DEBIAN-FIXT-0004")
        .contains("1 findings, 0 at CRITICAL or worse");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void failOnLowersTheBar(@TempDir Path dir) throws Exception {
    Path feed = dir.resolve("debian.json");
    Files.copy(Path.of(fixture("feed/DEBIAN-fixt-0003.json")), feed);

    int exit =
        run(
            "sbom",
            "scan",
            "--fail-on",
            "moderate",
            "--feed",
            feed.toString(),
            fixture("sbom.cdx.json"));

    assertThat(exit).isEqualTo(DebvisorCli.EXIT_FAILURE);
    assertThat(out.toString()).contains("1 at MODERATE or worse");
  }

  @Test
  void debianAdvisoriesMatchTheSourcePackageVersionAndReleaseTheSbomNames() throws Exception {
    int exit =
        run("sbom", "scan", "--feed", fixture("debian-feed.json"), fixture("debian-sbom.cdx.json"));

    assertThat(exit).isEqualTo(DebvisorCli.EXIT_FAILURE);
    // Rated from the CVSS v3.1 vector alone (9.8), found through the binary's source package.
    assertThat(out.toString().lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "CRITICAL DEBIAN-CVE-FIXT-0010 pkg:deb/debian/libssl3t64@3.5.1-1 via"
                            + " source openssl@3.5.1-1 ("))
        // The source's version 1.20 is affected; the binary's own 4:2.0-1 would not be.
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "HIGH     DEBIAN-CVE-FIXT-0012 pkg:deb/debian/fixt-tool@4:2.0-1 via"
                            + " source fixt-defaults@1.20 ("))
        .noneSatisfy(line -> assertThat(line).contains("DEBIAN-CVE-FIXT-0011"))
        .noneSatisfy(line -> assertThat(line).contains("DEBIAN-CVE-FIXT-0013"))
        // Debian:12's record does not apply to the SBOM's distro=debian-13.
        .noneSatisfy(line -> assertThat(line).contains("DEBIAN-CVE-FIXT-0014"))
        .contains(
            "scanned 3 components of 1 SBOMs against 5 advisories: 2 findings, 1 at CRITICAL or"
                + " worse");
  }

  @Test
  void refusesAFeedThatIsNotOsvNamingTheFile() throws Exception {
    String broken = fixture("broken-feed.json");

    int exit = run("sbom", "scan", "--feed", broken, fixture("sbom.cdx.json"));

    assertThat(exit).isEqualTo(DebvisorCli.EXIT_INVALID);
    assertThat(err.toString())
        .contains("error: " + broken + ": not an OSV record (needs \"id\" and \"affected\")");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void refusesAnSbomThatIsNotCycloneDx(@TempDir Path dir) throws Exception {
    Path notSbom = Files.writeString(dir.resolve("bom.json"), "{\"spdxVersion\": \"SPDX-2.3\"}");

    int exit = run("sbom", "scan", "--feed", fixture("feed"), notSbom.toString());

    assertThat(exit).isEqualTo(DebvisorCli.EXIT_INVALID);
    assertThat(err.toString()).contains(notSbom + ": not a CycloneDX JSON SBOM");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void refusesAMissingFeed(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("osv");

    int exit = run("sbom", "scan", "--feed", missing.toString(), fixture("sbom.cdx.json"));

    assertThat(exit).isEqualTo(DebvisorCli.EXIT_INVALID);
    assertThat(err.toString()).contains(missing + ": no such feed file or directory");
  }

  private int run(String... args) {
    CommandLine cli = DebvisorCli.create(null, Map.of());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static String fixture(String name) throws URISyntaxException, IOException {
    return Path.of(SbomScanCommandTest.class.getResource("/vulnscan/" + name).toURI()).toString();
  }
}
