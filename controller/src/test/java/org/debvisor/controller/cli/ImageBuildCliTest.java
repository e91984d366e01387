package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code debvisor image build}: bad input and missing host tools, each refused before writing. */
class ImageBuildCliTest {

  @TempDir Path dir;
  private Path out;
  private Path deb;

  private final StringWriter stdout = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void files() throws Exception {
    out = dir.resolve("image");
    deb = Files.writeString(dir.resolve("debvisor-agent_1_all.deb"), "not really a package");
  }

  private int run(Map<String, String> env, String... args) {
    var cli = DebvisorCli.create(null, env);
    cli.setOut(new PrintWriter(stdout, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> argv = new ArrayList<>(List.of("image", "build", "--quiet"));
    argv.addAll(List.of(args));
    return cli.execute(argv.toArray(String[]::new));
  }

  private int run(String... args) {
    return run(System.getenv(), args);
  }

  @Test
  void anUnknownProfileIsRefusedWithTheKnownOnes() {
    int code =
        run(
            "--arch",
            "amd64",
            "--profile",
            "nosuch",
            "--agent-deb",
            deb.toString(),
            "--out",
            out.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--profile 'nosuch' is not a profile of")
        .contains("known: ceph, hypervisor, k8s");
    assertThat(out).doesNotExist();
  }

  @Test
  void anUnknownArchitectureIsRefused() {
    int code =
        run(
            "--arch",
            "sparc",
            "--profile",
            "k8s",
            "--agent-deb",
            deb.toString(),
            "--out",
            out.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--arch: 'sparc' is not a supported architecture");
    assertThat(out).doesNotExist();
  }

  @Test
  void aMissingAgentPackageIsRefused() {
    Path missing = dir.resolve("none.deb");

    int code =
        run(
            "--arch",
            "amd64",
            "--profile",
            "k8s",
            "--agent-deb",
            missing.toString(),
            "--out",
            out.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--agent-deb " + missing + " is not a .deb file")
        .contains("./mvnw -pl agent -am package");
    assertThat(out).doesNotExist();
  }

  @Test
  void withoutAgentDebTheSourceTreeIsSearchedAndTheSearchNamed() {
    // Tests run in controller/, which has no agent/target below it.
    int code = run("--arch", "amd64", "--profile", "k8s", "--out", out.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--agent-deb not given and no agent package found in [")
        .contains("agent/target]")
        .contains("or pass --agent-deb FILE");
    assertThat(out).doesNotExist();
  }

  @Test
  void aNegativeTimestampIsRefused() {
    int code =
        run(
            "--arch",
            "amd64",
            "--profile",
            "k8s",
            "--agent-deb",
            deb.toString(),
            "--out",
            out.toString(),
            "--source-date-epoch",
            "-5");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--source-date-epoch must be seconds since 1970");
  }

  @Test
  void missingHostToolsAreNamedWithTheirFixAndNothingIsWritten() throws Exception {
    Path emptyBin = Files.createDirectory(dir.resolve("bin"));

    int code =
        run(
            Map.of("PATH", emptyBin.toString()),
            "--arch",
            "amd64",
            "--profile",
            "k8s",
            "--agent-deb",
            deb.toString(),
            "--out",
            out.toString(),
            "--cache",
            dir.resolve("cache").toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("error: mmdebstrap is not installed: apt-get install mmdebstrap")
        .contains("error: zstd is not installed: apt-get install zstd");
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("bin", "debvisor-agent_1_all.deb");
    }
  }

  @Test
  void helpNamesTheOptionsOfTheContract() {
    var cli = DebvisorCli.create(null);
    StringWriter help = new StringWriter();
    cli.setOut(new PrintWriter(help, true));

    assertThat(cli.execute("image", "build", "--help")).isZero();
    assertThat(help.toString())
        .contains(
            "--arch",
            "--profile",
            "--mirror",
            "--suite",
            "--keyring",
            "--agent-deb",
            "--out",
            "--cache",
            "--source-date-epoch");
  }
}
