package org.debvisor.controller.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.GZIPInputStream;
import org.debvisor.agent.packaging.CommandRunner;
import org.debvisor.agent.packaging.DebPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Inspects the controller's .deb with dpkg-deb, lintian and systemd-analyze. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControllerDebPackageIT {

  private static final String UNIT = "/usr/lib/systemd/system/debvisor-controller.service";
  private static final String DEFAULTS = "/etc/default/debvisor-controller";
  private static final String LAUNCHER = "/usr/bin/debvisor";
  private static final String JAR = "/usr/share/debvisor-controller/debvisor-controller.jar";
  private static final String DOC = "/usr/share/doc/debvisor-controller/";
  private static final String MAN = "/usr/share/man/man1/";
  private static final List<String> TOOLS =
      List.of("cephctl", "hvctl", "k8sctl", "debvisor-provision-node");

  private CommandRunner runner;
  private DebPackage pkg;

  @BeforeAll
  void unpack(@TempDir Path dir) throws Exception {
    runner = new CommandRunner(dir, Duration.ofMinutes(2));
    pkg = DebPackage.unpack(runner, dir);
  }

  @Test
  void controlFieldsDescribeTheController() throws Exception {
    assertThat(pkg.field(runner, "Package")).isEqualTo("debvisor-controller");
    assertThat(pkg.field(runner, "Version")).isEqualTo(DebPackage.expectedVersion());
    assertThat(pkg.field(runner, "Architecture")).isEqualTo("all");
    assertThat(pkg.field(runner, "Section")).isEqualTo("admin");
    assertThat(pkg.field(runner, "Priority")).isEqualTo("optional");
    assertThat(pkg.field(runner, "Maintainer")).isEqualTo("DebVisor developers <dev@debvisor.org>");
    assertThat(pkg.field(runner, "Depends"))
        .isEqualTo("openjdk-21-jre-headless | java21-runtime-headless");
    assertThat(pkg.field(runner, "Description").lines().toList())
        .as("a synopsis and an extended description")
        .hasSizeGreaterThan(3)
        .first()
        .isEqualTo("DebVisor controller and fleet command-line tools");
    runner
        .run(List.of("dpkg", "--validate-version", pkg.field(runner, "Version")))
        .requireSuccess();
  }

  @Test
  void filesHaveTheirModesOwnerAndBuildTimestamp() throws Exception {
    Map<String, String[]> entries = pkg.contents(runner);
    assertThat(entries.keySet())
        .contains(
            JAR,
            LAUNCHER,
            "/usr/share/debvisor-controller/launcher.sh",
            UNIT,
            DEFAULTS,
            DOC + "copyright",
            DOC + "changelog.gz",
            MAN + "debvisor.1.gz");
    String stamp =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC)
            .format(Instant.parse(System.getProperty("debvisor.outputTimestamp")));
    List<String> wrong = new ArrayList<>();
    entries.forEach(
        (path, entry) -> {
          if (!entry[0].equals(expectedMode(path, entry[0]))
              || !entry[1].equals("root/root")
              || !(entry[3] + " " + entry[4]).equals(stamp)) {
            wrong.add(String.join(" ", entry));
          }
        });
    assertThat(wrong).as("entries not root/root, 0755/0644 or not dated %s", stamp).isEmpty();
    assertThat(entries.get(LAUNCHER)[0]).isEqualTo("-rwxr-xr-x");
  }

  @Test
  void shipsTheAgentPackageBesideTheJarForProvisionNode() throws Exception {
    assertThat(pkg.contents(runner).keySet())
        .as("debvisor-provision-node finds the agent package beside the jar without --agent-deb")
        .anyMatch(
            path -> path.matches("/usr/share/debvisor-controller/debvisor-agent_[^/]+_all\\.deb"));
  }

  @Test
  void fleetToolsAndProvisionerAreLinksToTheLauncherAndItsManPage() throws Exception {
    Map<String, String[]> entries = pkg.contents(runner);
    for (String tool : TOOLS) {
      assertThat(linkTarget(entries, "/usr/bin/" + tool)).as(tool).isEqualTo("debvisor");
      assertThat(linkTarget(entries, MAN + tool + ".1.gz")).as(tool).isEqualTo("debvisor.1.gz");
      assertThat(Files.isSymbolicLink(pkg.file("/usr/bin/" + tool))).isTrue();
      assertThat(pkg.file("/usr/bin/" + tool)).as(tool + " resolves").isExecutable();
    }
  }

  @Test
  void bashCompletionRegistersEachCommand() throws Exception {
    for (String command : List.of("debvisor", "cephctl", "hvctl", "k8sctl")) {
      Path file = pkg.file("/usr/share/bash-completion/completions/" + command);
      var result =
          runner.run(
              List.of(
                  "bash",
                  "-c",
                  "source \"$1\" && complete -p \"$2\"",
                  "bash",
                  file.toString(),
                  command));
      assertThat(result.requireSuccess().stdout()).as(command).endsWith(" " + command + "\n");
      assertThat(Files.readString(file)).as(command).doesNotStartWith("#!");
    }
  }

  @Test
  void optionsFileIsTheOnlyConffileAndSetsTheListenAddress() throws Exception {
    assertThat(Files.readAllLines(pkg.control().resolve("conffiles"))).containsExactly(DEFAULTS);
    // systemd reads it as VAR="value" lines; sh gives the same value.
    String value =
        runner
            .run(
                List.of(
                    "sh",
                    "-ec",
                    ". \"$1\"; printf '%s' \"$DEBVISOR_CONTROLLER_OPTS\"",
                    "sh",
                    pkg.file(DEFAULTS).toString()))
            .requireSuccess()
            .stdout();
    assertThat(value).isEqualTo("--listen 0.0.0.0:5443");
  }

  @Test
  void maintainerScriptsEnableTheUnitAndPurgeTheState() throws Exception {
    for (String name : List.of("postinst", "prerm", "postrm")) {
      Path script = pkg.control().resolve(name);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script)))
          .as(name)
          .isEqualTo("rwxr-xr-x");
      assertThat(Files.readString(script))
          .as(name)
          .startsWith("#!/bin/sh\n")
          .contains("\nset -e\n")
          .contains("unit=debvisor-controller.service")
          .doesNotContain("debvisor-agent");
      runner.run(List.of("sh", "-n", script.toString())).requireSuccess();
    }
    assertThat(Files.readString(pkg.control().resolve("postinst")))
        .contains("deb-systemd-helper enable \"$unit\"")
        .contains("if [ -d /run/systemd/system ]; then");
    assertThat(Files.readString(pkg.control().resolve("prerm")))
        .contains("deb-systemd-invoke stop \"$unit\"");
    assertThat(Files.readString(pkg.control().resolve("postrm")))
        .containsOnlyOnce("rm -rf /var/lib/debvisor-controller\n");
  }

  @Test
  void unitServesFromThePrivateStateDirectoryWithHardening() throws Exception {
    assertThat(Files.readAllLines(pkg.file(UNIT)))
        .contains(
            "EnvironmentFile=-" + DEFAULTS,
            "ExecStart=/usr/bin/debvisor controller serve"
                + " --state-dir /var/lib/debvisor-controller $DEBVISOR_CONTROLLER_OPTS",
            "StateDirectory=debvisor-controller",
            "StateDirectoryMode=0700",
            "Restart=on-failure",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ReadWritePaths=/var/lib/debvisor-controller",
            "PrivateTmp=yes",
            "ProtectHome=yes",
            "WantedBy=multi-user.target");
  }

  @Test
  void systemdAcceptsTheUnit() throws Exception {
    // --root makes systemd find /usr/bin/debvisor in the unpacked package; unknown keys fail.
    var result =
        runner.run(
            List.of(
                "systemd-analyze",
                "verify",
                "--man=no",
                "--recursive-errors=no",
                "--root=" + pkg.root(),
                pkg.file(UNIT).toString()));
    assertThat(result.stderr()).as("systemd-analyze verify").isEmpty();
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void jarStartsDebvisorMain() throws IOException {
    try (JarFile jar = new JarFile(pkg.file(JAR).toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("org.debvisor.controller.DebvisorMain");
      assertThat(jar.getEntry("org/debvisor/controller/FleetMain.class")).isNotNull();
      assertThat(jar.getEntry("org/debvisor/controller/ProvisionNodeMain.class")).isNotNull();
    }
  }

  @Test
  void changelogNamesThePackageVersionAndCopyrightIsMachineReadable() throws Exception {
    try (InputStream in =
        new GZIPInputStream(Files.newInputStream(pkg.file(DOC + "changelog.gz")))) {
      String firstLine =
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
      assertThat(firstLine)
          .startsWith("debvisor-controller (" + DebPackage.expectedVersion() + ") ");
    }
    assertThat(Files.readString(pkg.file(DOC + "copyright")))
        .startsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")
        .contains("License: Apache-2.0");
  }

  @Test
  void lintianReportsNoErrors() throws Exception {
    var result = runner.run(List.of("lintian", "--tag-display-limit", "0", pkg.deb().toString()));
    assertThat(result.exitCode())
        .as("lintian ran (2 means it failed)\n%s", result.stderr())
        .isIn(0, 1);
    System.out.println("lintian:\n" + result.stdout());
    assertThat(result.stdout().lines().filter(line -> line.startsWith("E: ")).toList())
        .as("lintian errors")
        .isEmpty();
    assertThat(result.exitCode()).isZero();
  }

  /** Links keep their mode; directories and the launcher are 0755, everything else 0644. */
  private static String expectedMode(String path, String mode) {
    if (mode.startsWith("l")) {
      return mode;
    }
    if (mode.startsWith("d")) {
      return "drwxr-xr-x";
    }
    return path.equals(LAUNCHER) ? "-rwxr-xr-x" : "-rw-r--r--";
  }

  private static String linkTarget(Map<String, String[]> entries, String path) {
    String[] entry = entries.get(path);
    assertThat(entry).as("entry %s", path).isNotNull();
    assertThat(entry[0]).as("%s is a symbolic link", path).startsWith("l");
    assertThat(entry).as(path).hasSize(8);
    return entry[7];
  }
}
