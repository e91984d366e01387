package org.debvisor.controller.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.debvisor.controller.node.Architecture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each missing host prerequisite is named with the command that fixes it. */
class HostPrerequisitesTest {

  @TempDir Path dir;
  private Path bin;
  private Path binfmt;

  @BeforeEach
  void layout() throws Exception {
    bin = Files.createDirectory(dir.resolve("bin"));
    binfmt = Files.createDirectory(dir.resolve("binfmt_misc"));
  }

  private void program(String name) throws Exception {
    Path file = Files.writeString(bin.resolve(name), "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private HostPrerequisites host(boolean root) {
    return new HostPrerequisites(List.of(bin), binfmt, Optional.of(Architecture.AMD64), root);
  }

  @Test
  void aCompleteHostBuildsItsOwnArchitecture() throws Exception {
    program("mmdebstrap");
    program("zstd");

    assertThat(host(true).problems(Architecture.AMD64)).isEmpty();
  }

  @Test
  void missingToolsAndRootAreNamedWithTheirFix() {
    List<String> problems = host(false).problems(Architecture.AMD64);

    assertThat(problems)
        .containsExactly(
            "image build must run as root (mmdebstrap --mode=root; its hooks chroot into the"
                + " image): run it with sudo",
            "mmdebstrap is not installed: apt-get install mmdebstrap (DEBVISOR_TEST_PACKAGES in"
                + " scripts/lib/packages.sh; scripts/test.sh installs them)",
            "zstd is not installed: apt-get install zstd (DEBVISOR_TEST_PACKAGES in"
                + " scripts/lib/packages.sh; scripts/test.sh installs them)");
  }

  @Test
  void aNonExecutableFileIsNotAProgram() throws Exception {
    program("zstd");
    Files.writeString(bin.resolve("mmdebstrap"), "not executable");

    assertThat(host(true).problems(Architecture.AMD64))
        .singleElement()
        .asString()
        .startsWith("mmdebstrap is not installed");
  }

  @Test
  void arm64OnAmd64NeedsQemuAndAMountedBinfmtMisc() throws Exception {
    program("mmdebstrap");
    program("zstd");

    List<String> problems = host(true).problems(Architecture.ARM64);

    assertThat(problems).hasSize(2);
    assertThat(problems.get(0))
        .startsWith("qemu-aarch64-static is missing (an arm64 image built on this amd64 host")
        .endsWith(
            ": apt-get install qemu-user-static binfmt-support (DEBVISOR_SLOW_TEST_PACKAGES in"
                + " scripts/lib/packages.sh; scripts/test.sh -Ddebvisor.slow=true installs them)");
    assertThat(problems.get(1))
        .startsWith("binfmt_misc is not mounted at " + binfmt)
        .endsWith(": mount -t binfmt_misc binfmt_misc " + binfmt);
  }

  @Test
  void onlyTheOtherArchitectureIsEmulated() {
    assertThat(host(true).emulates(Architecture.ARM64)).isTrue();
    assertThat(host(true).emulates(Architecture.AMD64)).isFalse();
    assertThat(
            new HostPrerequisites(List.of(bin), binfmt, Optional.empty(), true)
                .emulates(Architecture.ARM64))
        .isFalse();
  }

  @Test
  void arm64OnAmd64NeedsAnEnabledHandler() throws Exception {
    program("mmdebstrap");
    program("zstd");
    program("qemu-aarch64-static");
    Files.writeString(binfmt.resolve("status"), "enabled\n");
    Files.writeString(binfmt.resolve("qemu-aarch64"), "disabled\ninterpreter /x\n");

    assertThat(host(true).problems(Architecture.ARM64))
        .singleElement()
        .asString()
        .startsWith("no enabled binfmt_misc handler qemu-aarch64 in " + binfmt)
        .endsWith(": update-binfmts --enable qemu-aarch64");

    Files.writeString(binfmt.resolve("qemu-aarch64"), "enabled\ninterpreter /x\n");
    assertThat(host(true).problems(Architecture.ARM64)).isEmpty();
  }
}
