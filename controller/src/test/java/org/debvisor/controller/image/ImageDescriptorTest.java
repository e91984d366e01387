package org.debvisor.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** image.json: the documented field order, read back, and refused when incomplete. */
class ImageDescriptorTest {

  @TempDir Path dir;

  private static ImageDescriptor sample(int format) {
    return new ImageDescriptor(
        format,
        "amd64",
        "k8s",
        "trixie",
        "http://deb.debian.org/debian",
        "6.12.57+deb13-amd64",
        1767225600L,
        312,
        "0.1.0-SNAPSHOT",
        new TreeMap<>(
            Map.of(
                "rootfs.tar.zst", "a".repeat(64),
                "vmlinuz", "b".repeat(64),
                "installer.img", "c".repeat(64),
                "manifest.tsv", "d".repeat(64))));
  }

  @Test
  void writesTheFieldsInTheDocumentedOrder() {
    String json = sample(1).toJson();

    assertThat(json.replaceAll("\\s+", ""))
        .isEqualTo(
            "{\"format\":1,\"arch\":\"amd64\",\"profile\":\"k8s\",\"suite\":\"trixie\","
                + "\"mirror\":\"http://deb.debian.org/debian\","
                + "\"kernelVersion\":\"6.12.57+deb13-amd64\",\"sourceDateEpoch\":1767225600,"
                + "\"packageCount\":312,\"debvisorVersion\":\"0.1.0-SNAPSHOT\",\"files\":{"
                + "\"installer.img\":\""
                + "c".repeat(64)
                + "\","
                + "\"manifest.tsv\":\""
                + "d".repeat(64)
                + "\","
                + "\"rootfs.tar.zst\":\""
                + "a".repeat(64)
                + "\","
                + "\"vmlinuz\":\""
                + "b".repeat(64)
                + "\"}}");
    assertThat(json).endsWith("}\n");
  }

  @Test
  void readsBackWhatItWrote() throws Exception {
    Path file = Files.writeString(dir.resolve("image.json"), sample(1).toJson());

    assertThat(ImageDescriptor.read(file)).isEqualTo(sample(1));
  }

  @Test
  void refusesAnotherFormat() throws Exception {
    Path file = Files.writeString(dir.resolve("image.json"), sample(2).toJson());

    assertThatThrownBy(() -> ImageDescriptor.read(file))
        .hasMessageContaining("format 2 is not supported");
  }

  @Test
  void refusesAMissingOrMalformedChecksum() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("image.json"),
            sample(1).toJson().replace("\"" + "b".repeat(64) + "\"", "\"not-a-sha\""));

    assertThatThrownBy(() -> ImageDescriptor.read(file))
        .hasMessageContaining("files.vmlinuz must be a sha256");
  }

  @Test
  void refusesTextThatIsNotJson() throws Exception {
    Path file = Files.writeString(dir.resolve("image.json"), "format: 1\n");

    assertThatThrownBy(() -> ImageDescriptor.read(file))
        .hasMessageContaining("is not a valid image.json");
  }
}
