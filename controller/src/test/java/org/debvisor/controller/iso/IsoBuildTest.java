package org.debvisor.controller.iso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.install.ImageDirFixture;
import org.debvisor.controller.install.ImageInstall;
import org.debvisor.controller.install.InstallImage;
import org.debvisor.controller.mirror.ArchiveIndexes;
import org.debvisor.controller.mirror.ArtifactCache;
import org.debvisor.controller.mirror.InstallerFetcher;
import org.debvisor.controller.mirror.InstallerPins;
import org.debvisor.controller.mirror.MirrorFixture;
import org.debvisor.controller.mirror.NetbootInstaller;
import org.debvisor.controller.mirror.Progress;
import org.debvisor.controller.mirror.RecordingProgress;
import org.debvisor.controller.mirror.VerifiedFetcher;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.NodeLoader;
import org.debvisor.controller.preseed.PreseedDataLoader;
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

  private final List<String> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Progress progress = new RecordingProgress(steps);

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
        .contains("'/isolinux/ldlinux.c32'", "'/boot/grub/grub.cfg'", "'/.disk/info'");
    assertPreseedInsideInitrd(first);
    assertEfiBootChainReachesTheInstaller(first, Architecture.AMD64);
    assertThat(extract(first.iso(), "/isolinux/isolinux.cfg"))
        .contains("preseed/file=/preseed.cfg");
    assertThat(Files.readString(dir.resolve("one/debvisor-node01-amd64.iso.prom")))
        .contains("debvisor_build_duration_seconds{arch=\"amd64\",os=\"debian13\"}")
        .contains("debvisor_build_status{arch=\"amd64\",os=\"debian13\"} 1.0")
        .contains("debvisor_build_package_count{arch=\"amd64\",os=\"debian13\"} 3.0");
  }

  @Test
  void anAlteredCachedInitrdIsFoundAndMadeAgain() throws Exception {
    IsoBuildResult first = build(Architecture.AMD64, dir.resolve("one"));
    Path initrd;
    try (var files = Files.list(dir.resolve("derived/initrd-amd64"))) {
      initrd =
          files.filter(p -> !p.getFileName().toString().contains(".")).findFirst().orElseThrow();
    }
    java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(initrd);
    byte[] bytes = Files.readAllBytes(initrd);
    bytes[bytes.length / 2] ^= 1;
    Files.write(initrd, bytes);
    // Same size, inode and mtime: only the ctime (and the content) tell.
    Files.setLastModifiedTime(initrd, mtime);

    IsoBuildResult second = build(Architecture.AMD64, dir.resolve("two"));

    assertThat(second.sha256()).isEqualTo(first.sha256());
    assertThat(steps)
        .anySatisfy(
            step ->
                assertThat(step)
                    .startsWith("warning: " + initrd + " was altered after it was made")
                    .contains("deleted and made again"));
  }

  @Test
  void arm64IsoBootsUefiOnly() throws Exception {
    // The other architecture's download and boot are a long variant: the slow suite runs it.
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "arm64 ISO: -Ddebvisor.slow=true");
    IsoBuildResult result = build(Architecture.ARM64, dir.resolve("arm"));

    String elTorito = xorriso(result.iso(), "-report_el_torito", "plain");
    assertThat(elTorito)
        .containsPattern("El Torito boot img :\\s+1\\s+UEFI")
        .doesNotContain("BIOS");
    assertThat(extract(result.iso(), "/boot/grub/grub.cfg")).contains("console=ttyAMA0");
    assertThat(xorriso(result.iso(), "-find", "/", "-type", "f")).doesNotContain("isolinux");
    assertPreseedInsideInitrd(result);
    assertEfiBootChainReachesTheInstaller(result, Architecture.ARM64);
  }

  @Test
  void imageMediaCarryTheImageAndBootItsInstaller() throws Exception {
    Path image =
        ImageDirFixture.write(dir.resolve("image"), "amd64", "ceph", List.of("ceph-common"));
    NodeInstall node =
        new NodeLoader()
            .parse(
                "node.yaml",
                "profile: ceph\nhostname: node01\ndomain: example.org\naccounts:\n  root:\n"
                    + "    passwordHash: \"$6$debvisorexample$rR6kmZB8E.h//2ih6FfpD9YQfaMRN20lQtyYwmwkP"
                    + "TVSVZibjHqFQZbUTOmSaJt11gf.TmnM7i8HkNgyiEk7Q.\"\ndisk:\n  target: /dev/vda\n");
    ImageInstall install =
        ImageInstall.prepare(
            "node.yaml",
            node,
            new PreseedDataLoader().fromClasspath().profiles().get("ceph"),
            Architecture.AMD64,
            InstallImage.open(image),
            null,
            IsoBuildRequest.DEFAULT_EPOCH);

    IsoBuildResult first = buildImageMedia(install, dir.resolve("one"));
    IsoBuildResult second = buildImageMedia(install, dir.resolve("two"));

    assertThat(second.sha256()).isEqualTo(first.sha256());
    String files = xorriso(first.iso(), "-find", "/", "-type", "f");
    assertThat(files)
        .contains("'/install/vmlinuz'", "'/install/installer.img'", "'/debvisor/rootfs.tar.zst'")
        .contains("'/debvisor/install.conf'", "'/debvisor/overlay.tar'", "'/debvisor/manifest.tsv'")
        .doesNotContain("initrd.gz", "preseed.cfg");
    assertThat(extract(first.iso(), "/debvisor/rootfs.tar.zst"))
        .isEqualTo(Files.readString(image.resolve("rootfs.tar.zst")));
    assertThat(extract(first.iso(), "/debvisor/install.conf")).isEqualTo(install.installConf());
    String grub = extract(first.iso(), "/boot/grub/grub.cfg");
    String isolinux = extract(first.iso(), "/isolinux/isolinux.cfg");
    java.util.regex.Matcher marker =
        java.util.regex.Pattern.compile("debvisor\\.marker=(/\\.disk/id/[0-9a-f-]+)").matcher(grub);
    assertThat(marker.find()).isTrue();
    assertThat(grub).contains("boot=debvisor", "initrd /install/installer.img");
    assertThat(isolinux)
        .contains("initrd=/install/installer.img boot=debvisor debvisor.marker=" + marker.group(1));
    assertThat(files).contains("'" + marker.group(1) + "'");
  }

  private IsoBuildResult buildImageMedia(ImageInstall install, Path out) throws Exception {
    VerifiedFetcher fetcher = MirrorFixture.fetcher();
    ArchiveIndexes indexes =
        new ArchiveIndexes(fetcher, MirrorFixture.verifier(), MirrorFixture.SUITE);
    InstallerPins pins = InstallerPins.builtIn();
    return new IsoBuilder(
            new InstallerFetcher(indexes, fetcher, pins, Progress.NONE),
            new IsoAssembler(
                new ToolRunner(IsoBuildRequest.DEFAULT_EPOCH),
                new BootMenus(new IsoTemplates(null)),
                new DerivedFiles(new ArtifactCache(dir), progress),
                Progress.NONE),
            Progress.NONE)
        .build(
            new IsoBuildRequest(
                Architecture.AMD64,
                "ceph",
                "node01",
                "",
                pins.defaultVersion(),
                null,
                out,
                IsoBuildRequest.DEFAULT_EPOCH,
                install),
            new BuildMetrics());
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
                new DerivedFiles(new ArtifactCache(dir), progress),
                progress),
            progress);
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

  /**
   * Follows what the firmware and the installer's GRUB do, file by file: the removable-media loader
   * and GRUB in the EFI image; the config at GRUB's embedded prefix, both in the EFI image (booted
   * as a disk) and on the ISO (booted as a CD); the marker it searches for; the menu it loads; and
   * that menu's kernel, command line and initrd.
   */
  private void assertEfiBootChainReachesTheInstaller(IsoBuildResult result, Architecture arch)
      throws Exception {
    String suffix = NetbootInstaller.efiSuffix(arch);
    Path efiImg = dir.resolve("efi-" + result.iso().getFileName());
    xorriso(result.iso(), "-osirrox", "on", "-extract", "/boot/grub/efi.img", efiImg.toString());
    Path grubEfi = dir.resolve("grub-" + result.iso().getFileName() + ".efi");
    Path shim = dir.resolve("shim-" + result.iso().getFileName() + ".efi");
    run(
        "mcopy",
        "-n",
        "-i",
        efiImg.toString(),
        "::/EFI/BOOT/grub" + suffix + ".efi",
        grubEfi.toString());
    run(
        "mcopy",
        "-n",
        "-i",
        efiImg.toString(),
        "::/EFI/BOOT/BOOT" + suffix.toUpperCase(java.util.Locale.ROOT) + ".EFI",
        shim.toString());
    assertThat(Files.mismatch(shim, result.installer().shimEfi())).isEqualTo(-1);
    assertThat(Files.mismatch(grubEfi, result.installer().grubEfi())).isEqualTo(-1);

    String configPath = GrubEfiImage.read(grubEfi).configPath("grub" + suffix + ".efi");
    assertThat(configPath).isEqualTo("/debian-installer/" + arch.debianName() + "/grub/grub.cfg");
    String inEfiImage = run("mtype", "-i", efiImg.toString(), "::" + configPath);
    String onIso = extract(result.iso(), configPath);
    assertThat(inEfiImage).isEqualTo(onIso);

    java.util.regex.Matcher search =
        java.util.regex.Pattern.compile("(?m)^search --file --set=root (\\S+)$").matcher(onIso);
    assertThat(search.find()).as("bootstrap searches a marker file: %s", onIso).isTrue();
    String isoFiles = xorriso(result.iso(), "-find", "/", "-type", "f");
    assertThat(isoFiles).contains("'" + search.group(1) + "'");
    assertThat(onIso).contains("set prefix=($root)/boot/grub\n", "configfile $prefix/grub.cfg");

    String menu = extract(result.iso(), "/boot/grub/grub.cfg");
    assertThat(menu)
        .containsPattern("(?m)^menuentry '")
        .contains("linux /install/vmlinuz " + BootMenus.kernelCommandLine(arch) + "\n")
        .contains("initrd /install/initrd.gz\n");
    assertThat(isoFiles).contains("'/install/vmlinuz'", "'/install/initrd.gz'");
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", List.of(cmd), out).isZero();
    return out;
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
