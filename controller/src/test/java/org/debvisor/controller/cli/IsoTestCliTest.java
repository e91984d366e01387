package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
