package org.debvisor.controller.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real image installer script ({@code scripts/debvisor} of the installer initramfs) on
 * this machine against disks that must be refused: it has to name the rule and write nothing. The
 * whole install is exercised by the opt-in QEMU test.
 */
class InstallerScriptTest {

  private static final String SCRIPT =
      "/org/debvisor/controller/image/installer-initramfs/scripts/debvisor";

  @TempDir Path dir;

  private record Result(int exit, String output) {}

  private Result install(String disk, String extra) throws Exception {
    Path media = Files.createDirectories(dir.resolve("media/debvisor"));
    Files.writeString(
        media.resolve("install.conf"),
        "format 1\nhostname n1\ndomain example.org\nprofile ceph\narch amd64\ndisk "
            + disk
            + "\ndisk_min_bytes 6000000000\npart bios 1MiB none -\npart esp 512MiB vfat /boot/efi\n"
            + "part root rest ext4 /\n"
            + extra);
    return run(dir.resolve("media"));
  }

  private Result run(Path media) throws Exception {
    Path script = dir.resolve("debvisor");
    try (InputStream in = InstallerScriptTest.class.getResourceAsStream(SCRIPT)) {
      Files.write(script, in.readAllBytes());
    }
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.createDirectories(dir.resolve("target"));
    ProcessBuilder pb =
        new ProcessBuilder(
                "sh", script.toString(), media.toString(), dir.resolve("target").toString())
            .redirectErrorStream(true);
    pb.environment().put("DEBVISOR_STANDALONE", "1");
    pb.environment().put("DEBVISOR_WORK", work.toString());
    pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("installer script finished").isTrue();
    return new Result(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private void assertNothingWritten() throws IOException {
    try (Stream<Path> target = Files.list(dir.resolve("target"))) {
      assertThat(target).isEmpty();
    }
    assertThat(dir.resolve("work/debvisor-sfdisk")).doesNotExist();
  }

  @Test
  void aDiskThatDoesNotExistIsRefusedNamingTheRule() throws Exception {
    Result r = install("/dev/disk/by-id/debvisor-no-such-disk", "");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output())
        .contains("DEBVISOR-INSTALL phase=disk")
        .contains(
            "DEBVISOR-INSTALL FAILED phase=disk: rule disk.target: /dev/disk/by-id/debvisor-no-such-disk"
                + " does not exist on this machine")
        .contains("set disk.target in node.yaml")
        .doesNotContain("phase=partition");
    assertNothingWritten();
  }

  @Test
  void aFileIsNotABlockDevice() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "data");

    Result r = install(file.toString(), "");

    assertThat(r.output())
        .contains("rule disk.target: " + file + " (" + file + ") is not a block device");
    assertThat(Files.readString(file)).isEqualTo("data");
    assertNothingWritten();
  }

  @Test
  void aDiskTooSmallForThePartitionsIsLeftUntouched() throws Exception {
    Path backing = dir.resolve("small.img");
    try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
      f.setLength(64L << 20);
    }
    Process attach = new ProcessBuilder("losetup", "--find", "--show", backing.toString()).start();
    String loop =
        new String(attach.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assumeTrue(attach.waitFor() == 0 && loop.startsWith("/dev/loop"), "loop devices are available");
    try {
      Result r = install(loop, "");

      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.output())
          .contains(
              "rule disk.size: "
                  + loop
                  + " has 67108864 bytes, the partitions need at least 6000000000");
      byte[] bytes = Files.readAllBytes(backing);
      // Arrays.mismatch: AssertJ's containsOnly boxes every byte (30 s for this image).
      assertThat(Arrays.mismatch(bytes, new byte[bytes.length]))
          .as("first byte changed")
          .isEqualTo(-1);
      assertNothingWritten();
    } finally {
      new ProcessBuilder("losetup", "-d", loop).start().waitFor();
    }
  }

  @Test
  void mediaWithoutAnAnswerOrWithAnotherFormatStopAtTheAnswer() throws Exception {
    Result none = run(Files.createDirectories(dir.resolve("empty")));
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.output())
        .contains("DEBVISOR-INSTALL FAILED phase=answer: no debvisor/install.conf on the media");

    Path media = Files.createDirectories(dir.resolve("v2/debvisor"));
    Files.writeString(media.resolve("install.conf"), "format 2\ndisk /dev/vda\n");
    Result newer = run(dir.resolve("v2"));
    assertThat(newer.output()).contains("install.conf has format 2, this installer reads format 1");
    assertNothingWritten();
  }
}
