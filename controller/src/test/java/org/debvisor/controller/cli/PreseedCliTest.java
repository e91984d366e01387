package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
  void validateRefusesABrokenFileListingEachLineAndChangesNothing() throws Exception {
    Path bad = dir.resolve("bad.preseed");
    String text = "d-i a/b string x\nd-i a/b string y\nd-i c/d boolean maybe\n";
    Files.writeString(bad, text);

    int code = run("preseed", "validate", bad.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "error: invalid input in " + bad + ": 2 errors, 0 warnings:",
            "  error: line 2: a/b: answered twice with different values: line 1 says 'x', line 2"
                + " says 'y'",
            "  error: line 3: c/d: is boolean: value must be true or false");
    assertThat(out.toString()).isEmpty();
    assertThat(Files.readString(bad)).isEqualTo(text);
  }

  @Test
  void validateOfTheIssuesExamplesExitsTwoNamingLineQuestionAndRule() throws Exception {
    Path bad = dir.resolve("issue.preseed");
    String text =
        "d-i netcfg/get_hostname string bad_host..name\n"
            + "d-i passwd/root-password-crypted password notahash\n"
            + "d-i passwd/user-password password hunter2\n"
            + "d-i mirror/http/hostname string deb.debian.org \\\n"
            + "d-i mirror/http/directory string /debian\n";
    Files.writeString(bad, text);

    int code = run("preseed", "validate", "--no-debconf", bad.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "  error: line 1: netcfg/get_hostname: must be one RFC 1123 host name label",
            "  error: line 2: passwd/root-password-crypted: looks like a plain-text password",
            "  error: line 3: passwd/user-password: is a plain-text password, which DebVisor"
                + " refuses",
            "  error: lines 4-5: mirror/http/hostname: must be a host",
            "joined from lines 4-5 by trailing backslashes",
            "  error: line 5: reads like an answer of its own")
        .doesNotContain("hunter2", "notahash");
    assertThat(Files.readString(bad)).isEqualTo(text);
  }

  @Test
  void warningsArePrintedAndExitZero() throws Exception {
    Path file = dir.resolve("warn.preseed");
    Files.writeString(
        file,
        "d-i time/zone string Etc/UTC\n"
            + "d-i passwd/root-password password r00t\n"
            + "d-i time/zone string Etc/UTC\n");

    int code =
        run("preseed", "validate", "--allow-plaintext-passwords", "--no-debconf", file.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString())
        .contains(
            "warning: " + file + ": line 2: passwd/root-password: is a plain-text password",
            "warning: "
                + file
                + ": line 3: time/zone: answered again with the same value as on"
                + " line 1");
    assertThat(out.toString()).contains(file + ": OK with 2 warnings, 3 answers");
  }

  @Test
  void jsonOutputListsEveryFinding() throws Exception {
    Path file = dir.resolve("json.preseed");
    Files.writeString(
        file,
        "d-i netcfg/get_hostname string bad_host..name\n"
            + "d-i time/zone string Etc/UTC\n"
            + "d-i time/zone string Etc/UTC\n");

    int code = run("preseed", "validate", "-o", "json", file.toString());

    assertThat(code).isEqualTo(2);
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("file").asText()).isEqualTo(file.toString());
    assertThat(json.get("valid").asBoolean()).isFalse();
    assertThat(json.get("answers").asInt()).isEqualTo(3);
    assertThat(json.get("errors").asInt()).isEqualTo(1);
    assertThat(json.get("warnings").asInt()).isEqualTo(1);
    assertThat(json.get("debconf").asText()).isEqualTo("skipped");
    JsonNode findings = json.get("findings");
    assertThat(findings).hasSize(2);
    assertThat(findings.get(0).get("severity").asText()).isEqualTo("error");
    assertThat(findings.get(0).get("line").asInt()).isEqualTo(1);
    assertThat(findings.get(0).get("lastLine").asInt()).isEqualTo(1);
    assertThat(findings.get(0).get("question").asText()).isEqualTo("netcfg/get_hostname");
    assertThat(findings.get(0).get("rule").asText()).startsWith("must be one RFC 1123");
    assertThat(findings.get(1).get("severity").asText()).isEqualTo("warning");
    assertThat(findings.get(1).get("line").asInt()).isEqualTo(3);
  }

  @Test
  void jsonOfACleanFileHasAnEmptyFindingList() throws Exception {
    Path golden = GOLDEN.resolve("ceph-amd64.preseed");

    int code = run("preseed", "validate", "-o", "json", golden.toString());

    assertThat(code).as(out.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("valid").asBoolean()).isTrue();
    assertThat(json.get("findings").isArray()).isTrue();
    assertThat(json.get("findings")).isEmpty();
  }

  @Test
  void realisticCorpusPassesDebconfToo() throws Exception {
    try (var files = Files.list(Path.of("src/test/resources/preseed-corpus/good"))) {
      for (Path file : files.sorted().toList()) {
        out.getBuffer().setLength(0);
        assertThat(run("preseed", "validate", file.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains(file + ": OK");
      }
    }
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
    assertThat(out.toString())
        .contains(
            "debconf-set-selections --checkonly",
            "--allow-plaintext-passwords",
            "-o, --output=FORMAT");
    assertThat(run("preseed", "--help")).isZero();
    assertThat(out.toString()).contains("render", "validate");
  }
}
