package org.debvisor.controller.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.debvisor.controller.node.Architecture;
import org.junit.jupiter.api.Test;

class MirrorPreflightTest {

  @Test
  void namesTheUdebsTheMirrorDoesNotServeAndOnlyThose() throws Exception {
    VerifiedFetcher fetcher = MirrorFixture.fetcher();
    // Max age 0: ask the mirror now, not a report cached by an earlier run.
    ArchiveIndexes indexes =
        new ArchiveIndexes(
            fetcher,
            MirrorFixture.verifier(),
            MirrorFixture.SUITE,
            new IndexFreshness(Clock.systemUTC(), Duration.ZERO),
            Progress.NONE);
    InstallerPins pins = InstallerPins.builtIn();
    // The mirror here serves a debian-installer index that does not match InRelease; the report
    // mode reads it anyway (see ENVIRONMENT notes in the report).
    MirrorPreflight preflight =
        new MirrorPreflight(
            indexes,
            new InstallerFetcher(indexes, fetcher, pins, Progress.NONE),
            fetcher.mirror(),
            Progress.NONE,
            true);

    PreflightReport report = preflight.check(Architecture.AMD64, pins.defaultVersion());

    assertThat(report.kernelAbi()).isEqualTo("6.12.94+deb13-amd64");
    List<String> missing = report.missing().stream().map(PreflightReport.Missing::name).toList();
    assertThat(missing).contains("e2fsprogs-udeb");
    // This mirror's trixie Release.gpg does not sign its Release: the installer stops on that.
    assertThat(missing).contains("Release.gpg");
    // Its debian-installer index is not the one Release lists: the installer checks that next
    // (seen with debian-installer/allow_unauthenticated, which only skips the signature).
    assertThat(report.missing())
        .filteredOn(m -> m.name().equals("main/debian-installer/binary-amd64/Packages"))
        .singleElement()
        .satisfies(m -> assertThat(m.reason()).contains("'SHA256 mismatch'", "checksum mismatch"));
    assertThat(report.missing())
        .filteredOn(m -> m.name().equals("e2fsprogs-udeb"))
        .singleElement()
        .satisfies(m -> assertThat(m.reason()).isEqualTo("HTTP 404"))
        .satisfies(m -> assertThat(m.url()).contains("/pool/main/e/e2fsprogs/e2fsprogs-udeb_"));
    // Served components (a kernel module udeb of this ABI, the partitioner) are not listed.
    assertThat(missing).doesNotContain("ext4-modules-6.12.94+deb13-amd64-di", "partman-ext3");
    assertThat(report.checked()).isGreaterThan(missing.size());
  }

  @Test
  void resolvesDependenciesVirtualPackagesAndTheKernelAbiMinusTheInitrd() {
    List<PackageStanza> index =
        List.of(
            stanza("partman-ext3", "standard", "", "e2fsprogs-udeb, ext4-modules, anna", ""),
            stanza("e2fsprogs-udeb", "optional", "", "libuuid1-udeb", ""),
            stanza("libuuid1-udeb", "optional", "", "", ""),
            stanza("anna", "standard", "", "", ""),
            stanza("ext4-modules-1.0-x-di", "standard", "1.0-x", "", "ext4-modules"),
            stanza("ext4-modules-2.0-x-di", "standard", "2.0-x", "", "ext4-modules"),
            stanza("fdisk-udeb", "optional", "", "", ""));

    var resolution =
        new ComponentResolver(index, "1.0-x").resolve(Set.of("anna"), List.of("no-such-udeb"));

    assertThat(resolution.needed().keySet())
        .containsExactly(
            "e2fsprogs-udeb", "ext4-modules-1.0-x-di", "libuuid1-udeb", "partman-ext3");
    assertThat(resolution.unresolved())
        .isEqualTo(Map.of("no-such-udeb", "iso/preflight-base-udebs.txt"));
  }

  private static PackageStanza stanza(
      String name, String priority, String kernel, String depends, String provides) {
    Map<String, String> f = new java.util.HashMap<>();
    f.put("Package", name);
    f.put("Priority", priority);
    f.put("Filename", "pool/" + name + ".udeb");
    if (!kernel.isEmpty()) {
      f.put("Kernel-Version", kernel);
    }
    if (!depends.isEmpty()) {
      f.put("Depends", depends);
    }
    if (!provides.isEmpty()) {
      f.put("Provides", provides);
    }
    return new PackageStanza(f);
  }
}
