package org.debvisor.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.node.Architecture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow suite: one real amd64 image build (mmdebstrap from the Debian mirror, .deb cache in the
 * tests' own /var/cache/debvisor-test/image-debs) of a one-package profile, then checks of what it
 * wrote: the contract's files and checksums, the package manifest, the root filesystem's first-boot
 * state and the installer initramfs. Needs root, mmdebstrap and zstd (scripts/lib/packages.sh).
 */
class ImageBuildTest {

  @TempDir static Path dir;
  private static Path out;
  private static ImageBuildResult result;
  private static List<String> listing;
  private static Path files;
  private static final List<String> log = new ArrayList<>();

  @BeforeAll
  static void build() throws Exception {
    // Minutes of dpkg, initramfs and zstd work: in the slow suite with the double and arm64 builds,
    // so the default suite fits its 20 minutes on 2 cores.
    assumeTrue(
        Boolean.getBoolean("debvisor.slow"),
        "the real image build is in the slow suite: scripts/test.sh --slow (-Ddebvisor.slow=true)");
    out = dir.resolve("debvisor-image-tiny-amd64");
    result =
        BuiltImage.builder(log)
            .build(
                BuiltImage.request(
                    Architecture.AMD64, BuiltImage.tinyProfile(dir.resolve("data")), out));
    listing = BuiltImage.listing(out);
    files = dir.resolve("files");
    BuiltImage.extract(
        out,
        files,
        "./etc/machine-id",
        "./etc/fstab",
        "./etc/systemd/system/" + ImageHooks.SSH_HOSTKEYS_UNIT,
        "./boot/vmlinuz-" + result.descriptor().kernelVersion());
  }

  @Test
  void writesExactlyTheContractsFilesAndNothingBeside() throws Exception {
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "rootfs.tar.zst",
              "vmlinuz",
              "installer.img",
              "manifest.tsv",
              "image.json",
              "SHA256SUMS");
    }
    try (Stream<Path> siblings = Files.list(dir)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("debvisor-image-tiny-amd64", "data", "files");
    }
    assertThat(log).anyMatch(line -> line.startsWith("  I: running apt-get update"));
  }

  @Test
  void checksumsAndImageJsonDescribeTheFiles() throws Exception {
    Map<String, String> sums = BuiltImage.sums(out);
    assertThat(sums.keySet()).containsExactlyInAnyOrderElementsOf(ImageOutput.SUMMED_FILES);
    for (var entry : sums.entrySet()) {
      assertThat(Sha256.hex(out.resolve(entry.getKey())))
          .as(entry.getKey())
          .isEqualTo(entry.getValue());
    }

    ImageDescriptor image = ImageDescriptor.read(out.resolve("image.json"));
    assertThat(image).isEqualTo(result.descriptor());
    assertThat(image.arch()).isEqualTo("amd64");
    assertThat(image.profile()).isEqualTo("tiny");
    assertThat(image.suite()).isEqualTo("trixie");
    assertThat(image.mirror()).isEqualTo("http://deb.debian.org/debian");
    assertThat(image.sourceDateEpoch()).isEqualTo(1767225600L);
    for (String name : ImageOutput.DESCRIBED_FILES) {
      assertThat(image.files()).containsEntry(name, sums.get(name));
    }
    assertThat(image.packageCount())
        .isEqualTo(ImageManifest.read(out.resolve("manifest.tsv")).packages().size());
  }

  @Test
  void theManifestHoldsTheBaseTheProfileAndTheAgent() throws Exception {
    ImageManifest manifest = ImageManifest.read(out.resolve("manifest.tsv"));

    for (String name :
        List.of(
            "linux-image-amd64",
            "grub-pc-bin",
            "grub-efi-amd64-bin",
            "openjdk-21-jre-headless",
            "systemd-resolved",
            "busybox",
            "lvm2",
            "less",
            "debvisor-agent")) {
      assertThat(manifest.find(name)).as(name).isPresent();
    }
    assertThat(manifest.find("debvisor-agent").orElseThrow().architecture()).isEqualTo("all");
  }

  @Test
  void theKernelIsTheImagesOwn() throws Exception {
    String kernel = result.descriptor().kernelVersion();

    assertThat(listing).anyMatch(line -> line.endsWith(" ./usr/lib/modules/" + kernel + "/"));
    assertThat(files.resolve("boot/vmlinuz-" + kernel))
        .hasSameBinaryContentAs(out.resolve("vmlinuz"));
  }

  @Test
  void theRootFilesystemIsReadyForAFirstBoot() throws Exception {
    assertThat(listing).noneMatch(line -> line.contains(" ./etc/ssh/ssh_host_"));
    assertThat(Files.readString(files.resolve("etc/machine-id"))).isEqualTo("uninitialized\n");
    assertThat(listing).noneMatch(line -> line.endsWith(" ./var/lib/dbus/machine-id"));
    assertThat(files.resolve("etc/fstab")).isEmptyFile();
    assertThat(
            Files.readString(files.resolve("etc/systemd/system/" + ImageHooks.SSH_HOSTKEYS_UNIT)))
        .isEqualTo(ImageHooks.SSH_HOSTKEYS_UNIT_TEXT);
    assertThat(listing)
        .anyMatch(
            line ->
                line.startsWith("l")
                    && line.contains(
                        " ./etc/systemd/system/multi-user.target.wants/"
                            + ImageHooks.SSH_HOSTKEYS_UNIT
                            + " -> "));
    assertThat(listing)
        .anyMatch(line -> line.contains(" ./etc/resolv.conf -> ../run/systemd/resolve/"));
  }

  @Test
  void noLogsListsTemporaryOrHostFilesAndEveryTimestampIsTheEpoch() {
    for (String line : listing) {
      String path = line.substring(line.indexOf(" ./") + 1);
      boolean regularFile = line.startsWith("-");
      assertThat(regularFile && path.startsWith("./var/log/")).as(line).isFalse();
      assertThat(path.startsWith("./var/lib/apt/lists/") && regularFile && !path.endsWith("/lock"))
          .as(line)
          .isFalse();
      assertThat(path.startsWith("./tmp/") && !path.equals("./tmp/")).as(line).isFalse();
      assertThat(path).as(line).doesNotContain("resolv.conf.systemd-resolved.bak");
      assertThat(path).as(line).doesNotEndWith(".deb");
      assertThat(path.startsWith("./usr/share/doc/") && regularFile && !path.endsWith("/copyright"))
          .as(line)
          .isFalse();
      // mmdebstrap clamps: nothing is newer than SOURCE_DATE_EPOCH (packaged files keep older
      // dates).
      String date = line.replaceFirst("^\\S+ +\\S+ +\\S+ +(\\S+ \\S+) .*$", "$1");
      assertThat(date).as(line).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
      assertThat(date.compareTo("2026-01-01 00:00:00")).as(line).isLessThanOrEqualTo(0);
    }
  }

  @Test
  void theInstallerInitramfsCarriesTheInstallerAndItsTools() throws Exception {
    Map<String, Long> entries = BuiltImage.initramfsEntries(out);

    assertThat(entries).containsKeys("scripts/debvisor", "usr/sbin/sfdisk", "usr/bin/zstd");
    assertThat(entries.keySet()).anyMatch(name -> name.endsWith("bin/busybox"));
    assertThat(entries.keySet())
        .anyMatch(name -> name.contains("/kernel/drivers/block/virtio_blk"));
    assertThat(entries.get("scripts/debvisor") & 0111).isEqualTo(0111);
  }
}
