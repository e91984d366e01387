package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.debvisor.controller.install.ImageDirFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code debvisor iso test} argument errors, and the preflight that runs before {@code iso build}.
 */
class IsoTestCliTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    var cli = DebvisorCli.create(null);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void missingIsoIsRefused() {
    assertThat(run("iso", "test", dir.resolve("none.iso").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("ISO: no such file");
  }

  @Test
  void badTimeoutIsRefused() throws Exception {
    Path iso = Files.createFile(dir.resolve("x.iso"));
    assertThat(run("iso", "test", iso.toString(), "--timeout", "soon")).isEqualTo(2);
    assertThat(err.toString()).contains("--timeout: expected a positive number with s, m or h");
  }

  @Test
  void uefiFlagIsRefusedForArm64() throws Exception {
    Path iso = Files.createFile(dir.resolve("x.iso"));
    assertThat(run("iso", "test", iso.toString(), "--arch", "arm64", "--uefi")).isEqualTo(2);
    assertThat(err.toString()).contains("arm64 always boots UEFI");
  }

  @Test
  void unknownArchIsRefused() throws Exception {
    Path iso = Files.createFile(dir.resolve("x.iso"));
    assertThat(run("iso", "test", iso.toString(), "--arch", "sparc")).isEqualTo(2);
    assertThat(err.toString()).contains("sparc");
  }

  @Test
  void buildRunsThePreflightAndRefusesAnIncompleteMirrorWhenAsked() throws Exception {
    Path node = dir.resolve("node.yaml");
    try (var in = IsoTestCliTest.class.getResourceAsStream("/examples/qemu-node.yaml")) {
      Files.write(node, in.readAllBytes());
    }
    Path outDir = dir.resolve("out");

    int code =
        run(
            "iso",
            "build",
            "--arch",
            "amd64",
            "--node",
            node.toString(),
            "--out",
            outDir.toString(),
            "--quiet",
            "--require-complete-mirror");

    // The mirror reachable here lacks e2fsprogs-udeb (see MirrorPreflightTest).
    assertThat(code).as(err.toString()).isEqualTo(1);
    assertThat(err.toString()).contains("error: preflight: MISSING e2fsprogs-udeb: HTTP 404");
    assertThat(outDir.resolve("debvisor-qemu-node-amd64.iso")).doesNotExist();
  }

  @Test
  void imageModeTestNeedsTheNodesSshKey() throws Exception {
    Path iso = Files.writeString(dir.resolve("x.iso"), "not really");

    assertThat(run("iso", "test", iso.toString(), "--mode", "image")).isEqualTo(2);
    assertThat(err.toString()).contains("--mode image needs --ssh-key FILE");
    assertThat(run("iso", "test", iso.toString(), "--mode", "pxe")).isEqualTo(2);
    assertThat(err.toString()).contains("--mode: pxe is not preseed or image");
  }

  @Test
  void imageModeBuildRefusesAnImageThatCannotInstallTheNodeAndWritesNothing() throws Exception {
    Path node = dir.resolve("node.yaml");
    try (var in = IsoTestCliTest.class.getResourceAsStream("/examples/qemu-node.yaml")) {
      Files.write(node, in.readAllBytes());
    }
    Path image = ImageDirFixture.write(dir.resolve("image"), "arm64", "k8s", List.of("sudo"));
    Path outDir = dir.resolve("out");

    int code =
        run(
            "iso",
            "build",
            "--mode",
            "image",
            "--image",
            image.toString(),
            "--arch",
            "amd64",
            "--node",
            node.toString(),
            "--out",
            outDir.toString(),
            "--quiet");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--arch: the image in " + image + " is for arm64, not amd64")
        .contains("profile: the image carries profile k8s, the node wants ceph");
    assertThat(outDir).doesNotExist();

    assertThat(
            run(
                "iso",
                "build",
                "--mode",
                "image",
                "--arch",
                "amd64",
                "--node",
                node.toString(),
                "--out",
                outDir.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--mode image needs --image DIR");
    assertThat(
            run(
                "iso",
                "build",
                "--image",
                image.toString(),
                "--arch",
                "amd64",
                "--node",
                node.toString(),
                "--out",
                outDir.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--image needs --mode image");
    assertThat(outDir).doesNotExist();
  }
}
