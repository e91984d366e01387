package org.debvisor.controller.iso;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.preseed.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds real ISOs from the mirror's installer (downloads cached in ~/.cache/debvisor) and checks
 * their El Torito entries, files, the preseed inside the initrd and reproducibility.
 */
class IsoBuildTest {

  private static final String PRESEED =
      "d-i debian-installer/locale string en_US.UTF-8\n"
          + "d-i pkgsel/include string openssh-server chrony\n";

  @TempDir Path dir;

  @Test
  void amd64IsoBootsBiosAndUefiAndIsReproducible() throws Exception {
    IsoBuildResult first = build(Architecture.AMD64, dir.resolve("one"));
    IsoBuildResult second = build(Architecture.AMD64, dir.resolve("two"));

    assertThat(second.sha256()).isEqualTo(first.sha256());
    assertThat(Files.mismatch(first.iso(), second.iso())).isEqualTo(-1);
    assertThat(Files.readString(dir.resolve("one/SHA256SUMS")))
        .isEqualTo(first.sha256() + "  debvisor-node01-amd64.iso\n");
    String elTorito = xorriso(first.iso(), "-report_el_torito", "plain");
    assertThat(elTorito)
        .containsPattern("El Torito boot img :\\s+1\\s+BIOS")
        .containsPattern("El Torito boot img :\\s+2\\s+UEFI")
        .contains("/isolinux/isolinux.bin")
        .contains("/boot/grub/efi.img");
    assertThat(xorriso(first.iso(), "-find", "/", "-type", "f"))
        .contains("'/install/vmlinuz'", "'/install/initrd.gz'", "'/isolinux/isolinux.cfg'")
        .contains("'/isolinux/ldlinux.c32'", "'/boot/grub/grub.cfg'", "'/.disk/debvisor'");
    assertPreseedInsideInitrd(first);
    assertThat(extract(first.iso(), "/isolinux/isolinux.cfg"))
        .contains("preseed/file=/preseed.cfg");
    assertThat(Files.readString(dir.resolve("one/debvisor-node01-amd64.iso.prom")))
        .contains("debvisor_build_duration_seconds{arch=\"amd64\",os=\"debian13\"}")
        .contains("debvisor_build_status{arch=\"amd64\",os=\"debian13\"} 1.0")
        .contains("debvisor_build_package_count{arch=\"amd64\",os=\"debian13\"} 3.0");
  }

  @Test
  void arm64IsoBootsUefiOnly() throws Exception {
    IsoBuildResult result = build(Architecture.ARM64, dir.resolve("arm"));

    String elTorito = xorriso(result.iso(), "-report_el_torito", "plain");
    assertThat(elTorito)
        .containsPattern("El Torito boot img :\\s+1\\s+UEFI")
        .doesNotContain("BIOS");
    assertThat(extract(result.iso(), "/boot/grub/grub.cfg")).contains("console=ttyAMA0");
    assertThat(xorriso(result.iso(), "-find", "/", "-type", "f")).doesNotContain("isolinux");
    assertPreseedInsideInitrd(result);
  }

  private IsoBuildResult build(Architecture arch, Path out) throws Exception {
    VerifiedFetcher fetcher = MirrorFixture.fetcher();
    ArchiveIndexes indexes =
        new ArchiveIndexes(fetcher, MirrorFixture.verifier(), MirrorFixture.SUITE);
    InstallerPins pins = InstallerPins.builtIn();
    IsoBuilder builder =
        new IsoBuilder(
            new InstallerFetcher(indexes, fetcher, pins, Progress.NONE),
            new IsoAssembler(
                new ToolRunner(IsoBuildRequest.DEFAULT_EPOCH),
                new BootMenus(new IsoTemplates(null)),
                Progress.NONE),
            Progress.NONE);
    return builder.build(
        new IsoBuildRequest(
            arch,
            "ceph",
            "node01",
            PRESEED,
            pins.defaultVersion(),
            null,
            out,
            IsoBuildRequest.DEFAULT_EPOCH),
        new BuildMetrics());
  }

  /** The ISO's initrd is the installer's, byte for byte, followed by a segment with the preseed. */
  private void assertPreseedInsideInitrd(IsoBuildResult result) throws Exception {
    Path initrd = dir.resolve("initrd-" + result.iso().getFileName());
    xorriso(result.iso(), "-osirrox", "on", "-extract", "/install/initrd.gz", initrd.toString());
    byte[] original = Files.readAllBytes(result.installer().initrd());
    byte[] onIso = Files.readAllBytes(initrd);
    assertThat(Arrays.copyOf(onIso, original.length)).isEqualTo(original);
    byte[] segment = Arrays.copyOfRange(onIso, original.length, onIso.length);
    assertThat(InitrdAppenderTest.readSegment(segment))
        .containsExactly(Map.entry("preseed.cfg", PRESEED));
  }

  private String extract(Path iso, String path) throws Exception {
    Path target = dir.resolve("extracted-" + path.replace('/', '_'));
    xorriso(iso, "-osirrox", "on", "-extract", path, target.toString());
    return Files.readString(target, StandardCharsets.UTF_8);
  }

  private static String xorriso(Path iso, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("xorriso", "-indev", iso.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("xorriso %s: %s", cmd, out).isZero();
    return out;
  }
}
