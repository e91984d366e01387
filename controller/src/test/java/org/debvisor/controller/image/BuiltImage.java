package org.debvisor.controller.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.Profile;
import org.debvisor.controller.preseed.PreseedData;
import org.debvisor.controller.preseed.PreseedDataLoader;

/**
 * Test support for real image builds: the request, the builder, and readers for the built files
 * (tar listing, single files, the initramfs).
 */
final class BuiltImage {

  /** A profile that adds one small package, to see profile packages land in the image. */
  static final String TINY_PROFILE = "tiny";

  private BuiltImage() {}

  /** The preseed data of this tree plus the {@code tiny} profile, in {@code dir}. */
  static Profile tinyProfile(Path dir) throws Exception {
    Path preseed = Files.createDirectories(dir.resolve("preseed/profiles"));
    Path source = Path.of(System.getProperty("debvisor.preseedDir", "../preseed"));
    Files.copy(
        source.resolve(PreseedDataLoader.TEMPLATE),
        preseed.getParent().resolve(PreseedDataLoader.TEMPLATE));
    Files.writeString(
        preseed.resolve(TINY_PROFILE + ".yaml"),
        "description: test profile with one package\npackages:\n  - less\n");
    PreseedData data = new PreseedDataLoader().fromDirectory(preseed.getParent());
    return data.profiles().get(TINY_PROFILE);
  }

  /** The agent package built by the agent module. */
  static Path agentDeb() throws IOException {
    Path dir = Path.of(System.getProperty("debvisor.agentDebDir", "../agent/target"));
    try (var debs = Files.newDirectoryStream(dir, "debvisor-agent_*_all.deb")) {
      for (Path deb : debs) {
        return deb;
      }
    }
    throw new IllegalStateException(
        "no agent package in " + dir + "; build it: ./mvnw -pl agent -am package");
  }

  /**
   * The tests' own cache (emptied by {@code DEBVISOR_FRESH=1 scripts/test.sh}), never the
   * operator's /var/cache/debvisor.
   */
  static Path testCache() {
    String dir = System.getenv("DEBVISOR_TEST_CACHE");
    return Path.of(dir == null || dir.isBlank() ? "/var/cache/debvisor-test" : dir);
  }

  static ImageBuildRequest request(Architecture arch, Profile profile, Path out)
      throws IOException {
    return new ImageBuildRequest(
        arch,
        profile,
        "trixie",
        java.net.URI.create("http://deb.debian.org/debian"),
        Path.of("/usr/share/keyrings/debian-archive-keyring.gpg"),
        agentDeb(),
        out,
        testCache().resolve("image-debs/trixie-" + arch.debianName()),
        1767225600L,
        "test");
  }

  static ImageBuilder builder(List<String> log) {
    return new ImageBuilder(
        HostPrerequisites.ofThisHost(System.getenv()),
        new InstallerInitramfsConfig(),
        line -> {
          synchronized (log) {
            log.add(line);
          }
        });
  }

  /** Runs a command, fails the test on a non-zero exit; returns stdout. */
  static byte[] run(Path dir, String... command) throws Exception {
    Path err = Files.createTempFile("image-test", ".err");
    try {
      Process process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile()).start();
      byte[] out = process.getInputStream().readAllBytes();
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(process.exitValue())
          .as(String.join(" ", command) + ": " + Files.readString(err))
          .isZero();
      return out;
    } finally {
      Files.delete(err);
    }
  }

  /** {@code tar -tv} of rootfs.tar.zst with numeric owners, one line per entry. */
  static List<String> listing(Path out) throws Exception {
    String text =
        new String(
            run(out, "tar", "--zstd", "--numeric-owner", "--full-time", "-tvf", "rootfs.tar.zst"),
            StandardCharsets.UTF_8);
    return text.lines().toList();
  }

  /** Unpacks {@code paths} of rootfs.tar.zst into {@code dest} in one pass over the archive. */
  static void extract(Path out, Path dest, String... paths) throws Exception {
    Files.createDirectories(dest);
    List<String> command =
        new ArrayList<>(List.of("tar", "--zstd", "-xf", "rootfs.tar.zst", "-C", dest.toString()));
    command.addAll(List.of(paths));
    run(out, command.toArray(String[]::new));
  }

  /**
   * Paths inside installer.img and their modes. trixie's mkinitramfs writes an uncompressed newc
   * cpio first (the already compressed .ko.xz modules), then the rest as a zstd-compressed cpio.
   */
  static Map<String, Long> initramfsEntries(Path out) throws Exception {
    byte[] image = Files.readAllBytes(out.resolve("installer.img"));
    Map<String, Long> entries = new TreeMap<>();
    int compressed = 0;
    if (image.length > 6 && new String(image, 0, 6, StandardCharsets.US_ASCII).equals("070701")) {
      readCpio(new java.io.ByteArrayInputStream(image), entries);
      compressed = indexOf(image, new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});
      assertThat(compressed).as("zstd part after the uncompressed cpio").isPositive();
    }
    Path part = Files.createTempFile(out.getParent(), "initramfs", ".zst");
    Path cpio = out.getParent().resolve(part.getFileName() + ".cpio");
    try {
      Files.write(part, java.util.Arrays.copyOfRange(image, compressed, image.length));
      run(out, "zstd", "-q", "-d", "-o", cpio.toString(), part.toString());
      try (InputStream in = Files.newInputStream(cpio)) {
        readCpio(in, entries);
      }
      return entries;
    } finally {
      Files.deleteIfExists(part);
      Files.deleteIfExists(cpio);
    }
  }

  private static void readCpio(InputStream raw, Map<String, Long> entries) throws IOException {
    try (CpioArchiveInputStream in = new CpioArchiveInputStream(raw)) {
      for (CpioArchiveEntry e; (e = in.getNextCPIOEntry()) != null; ) {
        entries.put(e.getName(), e.getMode());
      }
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** sha256 by file name as SHA256SUMS lists them. */
  static Map<String, String> sums(Path out) throws IOException {
    Map<String, String> sums = new TreeMap<>();
    List<String> lines = new ArrayList<>(Files.readAllLines(out.resolve(ImageOutput.CHECKSUMS)));
    for (String line : lines) {
      sums.put(line.substring(66), line.substring(0, 64));
    }
    return sums;
  }
}
