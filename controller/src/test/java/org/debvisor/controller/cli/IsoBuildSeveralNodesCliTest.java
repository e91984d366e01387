package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.mirror.ArtifactCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iso build --node A --node B}: one ISO per node from one run, each the same bytes as when
 * built alone; every node file is checked before anything is built. Real xorriso, the Debian
 * mirror's installer (cached in ~/.cache/debvisor like the other ISO tests).
 */
class IsoBuildSeveralNodesCliTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void eachNodeGetsItsOwnIsoIdenticalToItsBuildAlone() throws Exception {
    Path one = node("node-a", "");
    Path two = node("node-b", "");
    Path together = dir.resolve("together");
    Path alone = dir.resolve("alone");

    Path textfile = dir.resolve("debvisor-iso.prom");
    assertThat(build(together, "--metrics-textfile", textfile.toString(), one, two))
        .as(err.toString())
        .isZero();
    String listed = out.toString();
    assertThat(build(alone, two)).as(err.toString()).isZero();

    Path isoA = together.resolve("debvisor-node-a-amd64.iso");
    Path isoB = together.resolve("debvisor-node-b-amd64.iso");
    String shaA = Sha256.hex(isoA);
    String shaB = Sha256.hex(isoB);
    assertThat(shaA).isNotEqualTo(shaB);
    assertThat(listed.lines()).containsExactly(shaA + "  " + isoA, shaB + "  " + isoB);
    assertThat(Files.readString(together.resolve("SHA256SUMS")))
        .isEqualTo(shaA + "  debvisor-node-a-amd64.iso\n" + shaB + "  debvisor-node-b-amd64.iso\n");
    assertThat(Files.mismatch(isoB, alone.resolve("debvisor-node-b-amd64.iso")))
        .as("the second ISO of a run carries nothing of the first")
        .isEqualTo(-1);
    assertThat(together.resolve("debvisor-node-a-amd64.iso.prom")).exists();
    assertThat(Files.readString(textfile))
        .as("each ISO is one build")
        .contains("debvisor_builds_total{arch=\"amd64\",artifact=\"iso\",os=\"debian13\"} 2.0")
        .contains(
            "debvisor_build_failures_total{arch=\"amd64\",artifact=\"iso\",os=\"debian13\"} 0.0");
    try (var left = Files.list(together)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no temporary files left")
          .allSatisfy(name -> assertThat(name).doesNotStartWith("."));
    }
  }

  @Test
  void relativePathsAreTheCallersEvenThoughTheToolsRunInTheWorkDirectory() throws Exception {
    // xorriso runs in the build's work directory; it used to get these paths as typed and failed
    // with "Cannot acquire drive" (the README's own example, --out out/).
    Path here = Path.of("").toAbsolutePath();
    Path node = here.relativize(node("node-a", ""));
    Path target = here.relativize(dir.resolve("out"));
    Path cache = here.relativize(ArtifactCache.defaultRoot().toAbsolutePath());
    assertThat(target.isAbsolute()).isFalse();

    assertThat(build(target, "--cache", cache.toString(), node)).as(err.toString()).isZero();

    Path iso = dir.resolve("out/debvisor-node-a-amd64.iso");
    assertThat(out.toString())
        .isEqualTo(Sha256.hex(iso) + "  " + target.resolve(iso.getFileName()) + "\n");
  }

  @Test
  void anInvalidSecondNodeStopsTheRunBeforeTheFirstIsoIsBuilt() throws Exception {
    Path good = node("node-a", "");
    Path bad = node("node b", "");
    Path target = dir.resolve("out");

    assertThat(build(target, good, bad)).isEqualTo(2);

    assertThat(err.toString()).contains("error: invalid input in " + bad).contains("hostname");
    assertThat(target).doesNotExist();
  }

  @Test
  void twoNodesWithOneHostNameAreRefusedNamingBothFiles() throws Exception {
    Path first = node("node-a", "");
    Path second = dir.resolve("copy.yaml");
    Files.copy(first, second);
    Path target = dir.resolve("out");

    assertThat(build(target, first, second)).isEqualTo(2);

    assertThat(err.toString())
        .contains(
            "error: "
                + first
                + " and "
                + second
                + " both have host name node-a, so both would be written to"
                + " debvisor-node-a-amd64.iso");
    assertThat(target).doesNotExist();
  }

  @Test
  void aNodeWithAnAgentSectionNeedsTheControllerCaAndIsNamed() throws Exception {
    Path plain = node("node-a", "");
    Path enrolling =
        node(
            "node-b",
            "agent:\n  controller: controller.example.org:7443\n  caFingerprint: "
                + "3f".repeat(32)
                + "\n  token: bt-5Xq2kP9wLr7ZmN4vC8hJ\n");
    Path target = dir.resolve("out");

    assertThat(build(target, plain, enrolling)).isEqualTo(2);

    assertThat(err.toString())
        .contains("error: " + enrolling + " has an agent section: give --controller-ca FILE");
    assertThat(target).doesNotExist();
  }

  private Path node(String hostname, String extra) throws Exception {
    String example;
    try (var in = getClass().getResourceAsStream("/examples/qemu-node.yaml")) {
      example = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    return Files.writeString(
        dir.resolve(hostname.replace(' ', '_') + ".yaml"),
        example.replace("hostname: qemu-node", "hostname: \"" + hostname + "\"") + extra);
  }

  private int build(Path target, Path... nodes) {
    return build(target, null, null, nodes);
  }

  private int build(Path target, String option, String value, Path... nodes) {
    List<String> args =
        new ArrayList<>(
            List.of("iso", "build", "--arch", "amd64", "--out", target.toString(), "--quiet"));
    for (Path node : nodes) {
      args.add("--node");
      args.add(node.toString());
    }
    if (option != null) {
      args.add(option);
      args.add(value);
    }
    args.add("--skip-preflight");
    var cli = DebvisorCli.create(null);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args.toArray(String[]::new));
  }
}
