package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code debvisor preseed ...} run in process with captured output. */
class PreseedCliTest {

  private static final Path PRESEED_DIR =
      Path.of(System.getProperty("debvisor.preseedDir", "../preseed"));
  private static final Path GOLDEN =
      Path.of(System.getProperty("debvisor.goldenDir", "src/test/resources/golden"));

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = DebvisorCli.create(null);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path exampleNode() throws Exception {
    Path node = dir.resolve("node.yaml");
    try (var in = PreseedCliTest.class.getResourceAsStream("/examples/node.yaml")) {
      Files.write(node, in.readAllBytes());
    }
    return node;
  }

  @Test
  void rendersToStandardOutput() throws Exception {
    int code =
        run(
            "preseed",
            "render",
            "--node",
            exampleNode().toString(),
            "--preseed-dir",
            PRESEED_DIR.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo(Files.readString(GOLDEN.resolve("ceph-amd64.preseed")));
  }

  @Test
  void rendersToAFileWithProfileAndArchitecture() throws Exception {
    Path target = dir.resolve("k8s.preseed");

    int code =
        run(
            "preseed",
            "render",
            "--node",
            exampleNode().toString(),
            "--profile",
            "k8s",
            "--arch",
            "arm64",
            "--out",
            target.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("wrote " + target);
    assertThat(Files.readString(target))
        .isEqualTo(Files.readString(GOLDEN.resolve("k8s-arm64.preseed")));
  }

  @Test
  void invalidNodeExitsTwoNamingFileFieldAndRuleAndWritesNothing() throws Exception {
    Path node = exampleNode();
    Files.writeString(
        node, Files.readString(node).replace("hostname: node01", "hostname: \"a;reboot\""));
    Path target = dir.resolve("never.preseed");

    int code = run("preseed", "render", "--node", node.toString(), "--out", target.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(node.toString(), "hostname: must be one RFC 1123 host name label");
    assertThat(target).doesNotExist();
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void unknownProfileAndArchitectureExitTwo() throws Exception {
    assertThat(run("preseed", "render", "--node", exampleNode().toString(), "--profile", "web"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("profile: no role profile named 'web'");

    assertThat(run("preseed", "render", "--node", exampleNode().toString(), "--arch", "sparc"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--arch", "sparc", "amd64, arm64");
  }

  @Test
  void missingNodeOptionIsAUsageErrorWithExitTwo() {
    assertThat(run("preseed", "render")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--node=FILE'");
  }

  @Test
  void validateAcceptsAGoldenFile() {
    Path golden = GOLDEN.resolve("hypervisor-arm64.preseed");

    int code = run("preseed", "validate", golden.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains(golden + ": OK", "answers");
  }

  @Test
  void validateRefusesABrokenFileListingEachLine() throws Exception {
    Path bad = dir.resolve("bad.preseed");
    Files.writeString(bad, "d-i a/b string x\nd-i a/b string y\nd-i c/d boolean maybe\n");

    int code = run("preseed", "validate", bad.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            bad.toString(),
            "line 2: d-i a/b is already answered on line 1",
            "line 3: c/d is boolean: value must be true or false");
  }

  @Test
  void validateReportsWhatDebconfRefuses() throws Exception {
    // Our parser accepts it (a placeholder tool stands in for debconf to prove its verdict counts).
    Path tool = dir.resolve("fake-debconf");
    Files.writeString(tool, "#!/bin/sh\necho 'error: parse error on line 1' >&2\nexit 1\n");
    tool.toFile().setExecutable(true);
    Path file = dir.resolve("ok.preseed");
    Files.writeString(file, "d-i a/b string x\n");

    int code =
        run("preseed", "validate", "--debconf-set-selections", tool.toString(), file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("debconf-set-selections --checkonly (exit 1)", "parse error on line 1");
  }

  @Test
  void validateOfAMissingFileExitsOne() {
    assertThat(run("preseed", "validate", dir.resolve("nope").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("does not exist");
  }

  @Test
  void builtInDataIsUsedWithoutAPreseedFolder() throws Exception {
    int code =
        run("preseed", "render", "--node", exampleNode().toString(), "--profile", "hypervisor");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(Files.readString(GOLDEN.resolve("hypervisor-amd64.preseed")));
  }

  @Test
  void everyCommandHasHelp() {
    assertThat(run("preseed", "render", "--help")).isZero();
    assertThat(out.toString())
        .contains("--node=FILE", "--profile=NAME", "--arch=ARCH", "--out=FILE", "Exit codes:");
    assertThat(run("preseed", "validate", "--help")).isZero();
    assertThat(out.toString()).contains("debconf-set-selections --checkonly");
    assertThat(run("preseed", "--help")).isZero();
    assertThat(out.toString()).contains("render", "validate");
  }
}
