package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --metrics-textfile}: a build that ran (here: one that stops because the host lacks its
 * tools) is counted in the file; input refused before building writes nothing.
 */
class BuildMetricsTextfileCliTest {

  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int imageBuild(Path textfile, String arch) throws Exception {
    Path emptyBin = Files.createDirectories(dir.resolve("bin"));
    Path deb = Files.writeString(dir.resolve("debvisor-agent_1_all.deb"), "not really a package");
    var cli = DebvisorCli.create(null, Map.of("PATH", emptyBin.toString()));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(
        "image",
        "build",
        "--quiet",
        "--arch",
        arch,
        "--profile",
        "k8s",
        "--agent-deb",
        deb.toString(),
        "--out",
        dir.resolve("image").toString(),
        "--cache",
        dir.resolve("cache").toString(),
        "--metrics-textfile",
        textfile.toString());
  }

  @Test
  void aFailedImageBuildIsCountedAndCountsAddUp() throws Exception {
    Path textfile = dir.resolve("textfile/debvisor-image.prom");

    assertThat(imageBuild(textfile, "amd64")).isEqualTo(1);
    assertThat(imageBuild(textfile, "amd64")).isEqualTo(1);

    String labels = "{arch=\"amd64\",artifact=\"image\",os=\"debian13\"}";
    assertThat(Files.readString(textfile))
        .contains("debvisor_builds_total" + labels + " 2.0")
        .contains("debvisor_build_failures_total" + labels + " 2.0")
        .contains("debvisor_build_status" + labels + " 0.0")
        .contains("debvisor_build_duration_seconds" + labels + " ");
  }

  @Test
  void aFailedIsoBuildIsCountedWithTheIsoLabels() throws Exception {
    // Stops at the missing keyring, before any download.
    Path textfile = dir.resolve("debvisor-iso.prom");
    // The documented example without its agent section (which would need --controller-ca).
    String example = Files.readString(Path.of("..", "docs", "examples", "node.yaml"));
    Path node =
        Files.writeString(
            dir.resolve("node.yaml"),
            example.substring(0, example.indexOf("\nagent:"))
                + example.substring(example.indexOf("\n# (optional) Extra commands")));
    var cli = DebvisorCli.create(null);
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));

    int code =
        cli.execute(
            "iso",
            "build",
            "--quiet",
            "--arch",
            "amd64",
            "--node",
            node.toString(),
            "--out",
            dir.resolve("iso").toString(),
            "--cache",
            dir.resolve("cache").toString(),
            "--mirror",
            "http://127.0.0.1:9/debian",
            "--keyring",
            dir.resolve("no-keyring.gpg").toString(),
            "--metrics-textfile",
            textfile.toString());

    assertThat(code).as(err.toString()).isEqualTo(1);
    String labels = "{arch=\"amd64\",artifact=\"iso\",os=\"debian13\"}";
    assertThat(Files.readString(textfile))
        .contains("debvisor_builds_total" + labels + " 1.0")
        .contains("debvisor_build_failures_total" + labels + " 1.0")
        .contains("debvisor_build_status" + labels + " 0.0");
  }

  @Test
  void refusedInputWritesNoTextfile() throws Exception {
    Path textfile = dir.resolve("debvisor-image.prom");

    assertThat(imageBuild(textfile, "sparc")).isEqualTo(2);

    assertThat(err.toString()).contains("'sparc' is not a supported architecture");
    assertThat(textfile).doesNotExist();
  }

  @Test
  void anUnwritableTextfileIsAWarningNamingTheOption() throws Exception {
    Path textfile = Files.createDirectories(dir.resolve("taken.prom"));
    Files.writeString(textfile.resolve("keep"), "x");

    assertThat(imageBuild(textfile, "amd64")).as("the build's own exit code").isEqualTo(1);

    assertThat(err.toString())
        .contains("warning: cannot read the metrics textfile " + textfile)
        .contains("check --metrics-textfile");
    assertThat(Files.readString(textfile.resolve("keep"))).isEqualTo("x");
  }
}
