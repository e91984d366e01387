package org.debvisor.agent.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
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
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.GZIPInputStream;
import org.debvisor.agent.settings.SettingsLoader;
import org.debvisor.agentapi.AgentSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Inspects the agent's .deb with dpkg-deb, lintian and systemd-analyze. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebPackageIT {

  private static final String UNIT = "/usr/lib/systemd/system/debvisor-agent.service";
  private static final String CONFIG = "/etc/debvisor/agent.yaml";
  private static final String DEFAULTS = "/etc/default/debvisor-agent";
  private static final String LAUNCHER = "/usr/bin/debvisor-agent";
  private static final String JAR = "/usr/share/debvisor-agent/debvisor-agent.jar";
  private static final List<String> MAINTAINER_SCRIPTS = List.of("postinst", "prerm", "postrm");

  private CommandRunner runner;
  private DebPackage pkg;

  @BeforeAll
  void unpack(@TempDir Path dir) throws Exception {
    runner = new CommandRunner(dir, Duration.ofMinutes(3));
    pkg = DebPackage.unpack(runner, dir);
  }

  @Test
  void controlFieldsDescribeTheAgent() throws Exception {
    assertThat(pkg.field(runner, "Package")).isEqualTo("debvisor-agent");
    assertThat(pkg.field(runner, "Version")).isEqualTo(DebPackage.expectedVersion());
    assertThat(pkg.field(runner, "Architecture")).isEqualTo("all");
    assertThat(pkg.field(runner, "Section")).isEqualTo("admin");
    assertThat(pkg.field(runner, "Priority")).isEqualTo("optional");
    assertThat(pkg.field(runner, "Maintainer")).isEqualTo("DebVisor developers <dev@debvisor.org>");
    assertThat(pkg.field(runner, "Depends"))
        .contains("openjdk-21-jre-headless | java21-runtime-headless");
    assertThat(pkg.field(runner, "Recommends")).contains("librados2").contains("libvirt0");
    assertThat(pkg.field(runner, "Homepage")).isEmpty();
    String description = pkg.field(runner, "Description");
    assertThat(description.lines().toList())
        .as("a synopsis and an extended description")
        .hasSizeGreaterThan(3)
        .first()
        .isEqualTo("DebVisor node agent");
  }

  @Test
  void versionIsAValidDebianVersion() throws Exception {
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
            "/usr/share/debvisor-agent/launcher.sh",
            UNIT,
            CONFIG,
            DEFAULTS,
            "/usr/share/doc/debvisor-agent/copyright",
            "/usr/share/doc/debvisor-agent/changelog.gz",
            "/usr/share/man/man1/debvisor-agent.1.gz");
    assertThat(entries.get(LAUNCHER)[0]).isEqualTo("-rwxr-xr-x");
    String stamp =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC)
            .format(Instant.parse(System.getProperty("debvisor.outputTimestamp")));
    List<String> wrong = new ArrayList<>();
    entries.forEach(
        (path, entry) -> {
          String expectedMode =
              entry[0].startsWith("d")
                  ? "drwxr-xr-x"
                  : path.equals(LAUNCHER) ? "-rwxr-xr-x" : "-rw-r--r--";
          if (!entry[0].equals(expectedMode)
              || !entry[1].equals("root/root")
              || !(entry[3] + " " + entry[4]).equals(stamp)) {
            wrong.add(String.join(" ", entry));
          }
        });
    assertThat(wrong).as("entries not root/root, 0755/0644 or not dated %s", stamp).isEmpty();
  }

  @Test
  void configurationAndJvmDefaultsAreTheOnlyConffiles() throws IOException {
    assertThat(Files.readAllLines(pkg.control().resolve("conffiles")))
        .containsExactly(CONFIG, DEFAULTS);
  }

  @Test
  void jvmDefaultsCarryTheTunedFlags() throws Exception {
    // Sourced by the launcher as sh would: the values a node's agent really starts with.
    var result =
        runner.run(
            List.of(
                "/bin/sh",
                "-euc",
                ". \"$1\"; printf '%s\\n' \"$DEBVISOR_AGENT_JVM_OPTS\" \"$MALLOC_ARENA_MAX\"",
                "sh",
                pkg.file(DEFAULTS).toString()));
    result.requireSuccess();
    List<String> values = result.stdout().lines().toList();
    assertThat(values.get(0).split(" "))
        .contains(
            "-XX:+UseSerialGC",
            "-Xms16m",
            "-Xmx128m",
            "-XX:MaxHeapFreeRatio=40",
            "-XX:TieredStopAtLevel=1",
            "-Xss256k",
            "-XX:+UnlockExperimentalVMOptions",
            "-XX:TrimNativeHeapInterval=2000");
    assertThat(values.get(1)).isEqualTo("2");
  }

  @Test
  void maintainerScriptsAreExecutableStrictShellScripts() throws Exception {
    for (String name : MAINTAINER_SCRIPTS) {
      Path script = pkg.control().resolve(name);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script)))
          .as(name)
          .isEqualTo("rwxr-xr-x");
      String text = Files.readString(script);
      assertThat(text).as(name).startsWith("#!/bin/sh\n").contains("\nset -e\n");
      runner.run(List.of("sh", "-n", script.toString())).requireSuccess();
    }
    assertThat(Files.readString(pkg.control().resolve("postinst")))
        .contains("unit=debvisor-agent.service")
        .contains("deb-systemd-helper enable \"$unit\"")
        .contains("if [ -d /run/systemd/system ]; then");
    assertThat(Files.readString(pkg.control().resolve("prerm")))
        .contains("deb-systemd-invoke stop \"$unit\"");
    assertThat(Files.readString(pkg.control().resolve("postrm")))
        .containsOnlyOnce("rm -rf /var/lib/debvisor");
  }

  @Test
  void unitStartsTheAgentWithItsConfigurationAndRestartsIt() throws Exception {
    List<String> lines = Files.readAllLines(pkg.file(UNIT));
    assertThat(lines)
        .contains(
            "ExecStart=/usr/bin/debvisor-agent --config /etc/debvisor/agent.yaml",
            "ExecStartPre=/usr/bin/debvisor-agent --config /etc/debvisor/agent.yaml"
                + " --check-config",
            "Restart=on-failure",
            "RestartSec=5",
            "TimeoutStartSec=5min",
            "StateDirectory=debvisor",
            "ConfigurationDirectory=debvisor",
            "CacheDirectory=debvisor-agent",
            "After=network-online.target",
            "Wants=network-online.target",
            "WantedBy=multi-user.target")
        .contains("NoNewPrivileges=yes", "ProtectHome=yes", "PrivateTmp=yes")
        .noneMatch(line -> line.startsWith("User="))
        .noneMatch(line -> line.startsWith("ProtectSystem="));
  }

  @Test
  void systemdAcceptsTheUnit() throws Exception {
    // --root makes systemd find the launcher in the unpacked package; unknown keys fail.
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
  void launcherIsValidShell() throws Exception {
    assertThat(Files.readString(pkg.file(LAUNCHER))).startsWith("#!/bin/sh\n");
    runner.run(List.of("sh", "-n", pkg.file(LAUNCHER).toString())).requireSuccess();
  }

  @Test
  void jarStartsTheAgentMainClass() throws IOException {
    try (JarFile jar = new JarFile(pkg.file(JAR).toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("org.debvisor.agent.AgentMain");
    }
  }

  @Test
  void changelogNamesThePackageVersion() throws Exception {
    try (InputStream in =
        new GZIPInputStream(
            Files.newInputStream(pkg.file("/usr/share/doc/debvisor-agent/changelog.gz")))) {
      String firstLine =
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
      assertThat(firstLine).startsWith("debvisor-agent (" + DebPackage.expectedVersion() + ") ");
    }
  }

  @Test
  void copyrightIsMachineReadableApache2() throws IOException {
    assertThat(Files.readString(pkg.file("/usr/share/doc/debvisor-agent/copyright")))
        .startsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")
        .contains("License: Apache-2.0")
        .contains("/usr/share/common-licenses/Apache-2.0");
  }

  @Test
  void defaultConfigurationLoadsAndEqualsTheBuiltInDefaults() throws Exception {
    AgentSettings settings = new SettingsLoader().load(pkg.file(CONFIG));

    assertThat(settings).isEqualTo(AgentSettings.defaults());
  }

  @Test
  void defaultConfigurationListsEverySetting() throws IOException {
    JsonNode yaml = new YAMLMapper().readTree(pkg.file(CONFIG).toFile());
    TreeSet<String> inFile = new TreeSet<>();
    yamlKeys("", yaml, inFile);
    TreeSet<String> inRecords = new TreeSet<>();
    recordKeys("", AgentSettings.class, inRecords);

    assertThat(inFile).as("keys of %s", CONFIG).isEqualTo(inRecords);
  }

  @Test
  void lintianReportsNoErrors() throws Exception {
    var result = runner.run(List.of("lintian", "--tag-display-limit", "0", pkg.deb().toString()));
    assertThat(result.exitCode())
        .as("lintian ran (2 means it failed)\n%s", result.stderr())
        .isIn(0, 1);
    List<String> errors = result.stdout().lines().filter(line -> line.startsWith("E: ")).toList();
    // Remaining warnings are kept in the failsafe report for whoever tidies the package.
    System.out.println("lintian:\n" + result.stdout());
    assertThat(errors).as("lintian errors").isEmpty();
    assertThat(result.exitCode()).isZero();
  }

  private static void yamlKeys(String prefix, JsonNode node, TreeSet<String> keys) {
    if (node.isObject() && !node.isEmpty()) {
      node.properties().forEach(e -> yamlKeys(prefix + e.getKey() + ".", e.getValue(), keys));
    } else {
      keys.add(prefix.substring(0, prefix.length() - 1));
    }
  }

  private static void recordKeys(String prefix, Class<?> type, TreeSet<String> keys) {
    for (var component : type.getRecordComponents()) {
      String key = prefix + component.getName();
      if (component.getType().isRecord()) {
        recordKeys(key + ".", component.getType(), keys);
      } else {
        keys.add(key);
      }
    }
  }
}
