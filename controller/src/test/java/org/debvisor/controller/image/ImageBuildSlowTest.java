package org.debvisor.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.Profile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in ({@code -Ddebvisor.slow=true}): two amd64 builds of the same inputs give the same bytes,
 * and an arm64 image builds on this host under qemu-user (several minutes each).
 */
class ImageBuildSlowTest {

  @TempDir Path dir;
  private Profile tiny;
  private final List<String> log = new ArrayList<>();

  @BeforeEach
  void optIn() throws Exception {
    assumeTrue(
        Boolean.getBoolean("debvisor.slow"),
        "image double builds and arm64 builds are opt-in: run with -Ddebvisor.slow=true");
    tiny = BuiltImage.tinyProfile(dir.resolve("data"));
  }

  @Test
  void twoBuildsOfTheSameInputsAreIdentical() throws Exception {
    ImageBuildResult first =
        BuiltImage.builder(log)
            .build(BuiltImage.request(Architecture.AMD64, tiny, dir.resolve("first")));
    ImageBuildResult second =
        BuiltImage.builder(log)
            .build(BuiltImage.request(Architecture.AMD64, tiny, dir.resolve("second")));

    assertThat(second.descriptor()).isEqualTo(first.descriptor());
    assertThat(Files.readString(dir.resolve("second/SHA256SUMS")))
        .isEqualTo(Files.readString(dir.resolve("first/SHA256SUMS")));
  }

  @Test
  void anArm64ImageBuildsUnderQemuUser() throws Exception {
    List<String> problems =
        HostPrerequisites.ofThisHost(System.getenv()).problems(Architecture.ARM64);
    assertThat(problems).as("this host cannot build arm64 images").isEmpty();
    Path out = dir.resolve("arm64");

    ImageBuildResult result =
        BuiltImage.builder(log).build(BuiltImage.request(Architecture.ARM64, tiny, out));

    assertThat(result.descriptor().arch()).isEqualTo("arm64");
    assertThat(result.descriptor().kernelVersion()).endsWith("-arm64");
    ImageManifest manifest = ImageManifest.read(out.resolve("manifest.tsv"));
    assertThat(manifest.find("linux-image-arm64")).isPresent();
    assertThat(manifest.find("grub-efi-arm64-bin")).isPresent();
    assertThat(manifest.find("grub-pc-bin")).isEmpty();
    assertThat(manifest.find("debvisor-agent")).isPresent();
    assertThat(BuiltImage.initramfsEntries(out)).containsKey("scripts/debvisor");
  }
}
