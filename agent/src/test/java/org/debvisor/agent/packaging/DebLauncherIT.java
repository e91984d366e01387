package org.debvisor.agent.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged /usr/bin/debvisor-agent against fake {@code java} scripts that print a chosen
 * version, to check which runtime it picks and how it fails when none is new enough.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebLauncherIT {

  private static final List<String> JVM_FLAGS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "-XX:+UseSerialGC",
          "-Xms16m",
          "-Xmx128m",
          "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=40",
          "-XX:TieredStopAtLevel=1",
          "-XX:ReservedCodeCacheSize=32m",
          "-Xss256k",
          "-XX:+UnlockExperimentalVMOptions",
          "-XX:TrimNativeHeapInterval=2000");
  private static final List<String> COMMAND_FLAGS =
      concat(JVM_FLAGS, List.of("-XX:TieredStopAtLevel=1"));
  private static final String JAR = "/usr/share/debvisor-agent/debvisor-agent.jar";

  private CommandRunner runner;
  private Path launcher;
  private Path packagedDefaults;

  @BeforeAll
  void unpack(@TempDir Path dir) throws Exception {
    runner = new CommandRunner(dir, Duration.ofSeconds(30));
    DebPackage pkg = DebPackage.unpack(runner, dir);
    launcher = pkg.file("/usr/bin/debvisor-agent");
    packagedDefaults = pkg.file("/etc/default/debvisor-agent");
  }

  @Test
  void startsWithThePackagedDefaultsAndTheSameFlagsWithoutThem(@TempDir Path fakes)
      throws Exception {
    Path java21 = fakeJava(fakes, "home21", "21.0.5");
    Map<String, String> env =
        Map.of("JAVA_HOME", java21.toString(), "PATH", fakes.resolve("nothing").toString());
    Map<String, String> withDefaults = new HashMap<>(env);
    withDefaults.put("DEBVISOR_AGENT_DEFAULTS", packagedDefaults.toString());

    var packaged = launch(fakes, withDefaults, "--config", "/etc/debvisor/agent.yaml");
    var builtIn = launch(fakes, env, "--config", "/etc/debvisor/agent.yaml");

    List<String> expected =
        concat(JVM_FLAGS, List.of("-jar", JAR, "--config", "/etc/debvisor/agent.yaml"));
    assertThat(arguments(packaged.stdout())).as(packaged.stderr()).isEqualTo(expected);
    assertThat(arguments(builtIn.stdout())).as(builtIn.stderr()).isEqualTo(expected);
    assertThat(packaged.stdout()).contains("MALLOC_ARENA_MAX=2");
    assertThat(builtIn.stdout()).contains("MALLOC_ARENA_MAX=2");
  }

  @Test
  void anEditedDefaultsFileReplacesTheTunedFlags(@TempDir Path fakes) throws Exception {
    Path java21 = fakeJava(fakes, "home21", "21.0.5");
    Path defaults =
        Files.writeString(
            fakes.resolve("debvisor-agent"),
            "DEBVISOR_AGENT_JVM_OPTS=\"-XX:+UseSerialGC -Xmx512m\"\nMALLOC_ARENA_MAX=4\n");

    var result =
        launch(
            fakes,
            Map.of(
                "JAVA_HOME", java21.toString(),
                "PATH", fakes.resolve("nothing").toString(),
                "DEBVISOR_AGENT_DEFAULTS", defaults.toString(),
                "DEBVISOR_AGENT_JAVA_OPTS", "-Dextra=1"),
            "status");

    assertThat(arguments(result.stdout()))
        .as(result.stderr())
        .containsExactly(
            "--enable-native-access=ALL-UNNAMED",
            "-XX:+UseSerialGC",
            "-Xmx512m",
            "-XX:TieredStopAtLevel=1",
            "-Dextra=1",
            "-jar",
            JAR,
            "status");
    assertThat(result.stdout()).contains("MALLOC_ARENA_MAX=4");
  }

  @Test
  void failsWithAClearErrorWhenNoJavaIsNewEnough(@TempDir Path fakes) throws Exception {
    Path java17 = fakeJava(fakes, "home17", "17.0.13");
    Path java8OnPath = fakeJava(fakes, "path8", "1.8.0_392");
    fakeJava(fakes, "jvm/java-17-openjdk-amd64", "17.0.13");

    var result =
        launch(
            fakes,
            Map.of("JAVA_HOME", java17.toString(), "PATH", java8OnPath.resolve("bin").toString()),
            "--check-config");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stdout()).as("no java was started").isEmpty();
    assertThat(result.stderr())
        .contains("debvisor-agent: error: no Java 21 or newer found.")
        .contains(java17.resolve("bin/java") + " (version 17)")
        .contains(java8OnPath.resolve("bin/java") + " (version 8)")
        .contains("apt-get install openjdk-21-jre-headless");
  }

  @Test
  void failsNamingTheMissingSharedFunctionsAndStartsNothing(@TempDir Path fakes) throws Exception {
    Path java21 = fakeJava(fakes, "home21", "21.0.5");
    // The launcher alone, without /usr/share/debvisor-agent/launcher.sh beside it.
    Path alone = Files.createDirectories(fakes.resolve("broken/usr/bin")).resolve("debvisor-agent");
    Files.copy(launcher, alone);

    var result =
        runner.run(
            List.of("/bin/sh", alone.toString(), "--version"),
            Map.of("JAVA_HOME", java21.toString(), "PATH", fakes.resolve("nothing").toString()));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stdout()).as("no java was started").isEmpty();
    assertThat(result.stderr())
        .contains(
            "debvisor-agent: error: "
                + fakes.resolve("broken/usr/share/debvisor-agent/launcher.sh")
                + " is missing")
        .contains("apt-get install --reinstall debvisor-agent");
  }

  @Test
  void runsTheJarOnJavaHomeWithTheAgentArguments(@TempDir Path fakes) throws Exception {
    Path java21 = fakeJava(fakes, "home21", "21.0.5");
    fakeJava(fakes, "jvm/java-25-openjdk-amd64", "25.0.1");

    var result =
        launch(
            fakes,
            Map.of("JAVA_HOME", java21.toString(), "PATH", fakes.resolve("nothing").toString()),
            "--config",
            "/tmp/with space.yaml",
            "--check-config");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(ranJava(result.stdout())).isEqualTo(java21.resolve("bin/java").toString());
    assertThat(arguments(result.stdout()))
        .containsExactlyElementsOf(
            concat(
                COMMAND_FLAGS,
                List.of("-jar", JAR, "--config", "/tmp/with space.yaml", "--check-config")));
  }

  @Test
  void readsTheVersionFromTheRuntimesReleaseFileWithoutStartingIt(@TempDir Path fakes)
      throws Exception {
    Path java21 = fakeJava(fakes, "jvm/java-21-openjdk-amd64", "17.0.1");
    // The release file is what Debian's runtime packages ship; -version would say 17 here.
    Files.writeString(java21.resolve("release"), "JAVA_VERSION=\"21.0.9\"\nOS_NAME=\"Linux\"\n");

    var result = launch(fakes, Map.of("PATH", fakes.resolve("nothing").toString()), "--version");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(ranJava(result.stdout())).isEqualTo(java21.resolve("bin/java").toString());
  }

  @Test
  void keepsOneClassDataArchivePerModeWhereTheCacheIsWritable(@TempDir Path fakes)
      throws Exception {
    Path java21 = fakeJava(fakes, "home21", "21.0.5");
    Path cache = Files.createDirectories(fakes.resolve("cds"));
    Map<String, String> env =
        Map.of("JAVA_HOME", java21.toString(), "PATH", fakes.resolve("nothing").toString());

    var daemon = launch(fakes, env, "--config", "/etc/debvisor/agent.yaml");
    var check = launch(fakes, env, "--config", "/etc/debvisor/agent.yaml", "--check-config");

    assertThat(arguments(daemon.stdout()))
        .as(daemon.stderr())
        .containsExactlyElementsOf(
            concat(
                JVM_FLAGS,
                List.of(
                    "-XX:SharedArchiveFile=" + cache.resolve("daemon.jsa"),
                    "-XX:+AutoCreateSharedArchive",
                    "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off",
                    "-jar",
                    JAR,
                    "--config",
                    "/etc/debvisor/agent.yaml")));
    assertThat(arguments(check.stdout()))
        .as(check.stderr())
        .containsSubsequence(
            "-XX:TieredStopAtLevel=1",
            "-XX:SharedArchiveFile=" + cache.resolve("command.jsa"),
            "-XX:+AutoCreateSharedArchive",
            "--check-config");
  }

  @Test
  void dropsAnArchiveMadeForAnotherRuntimeSoTheJvmMakesANewOne(@TempDir Path fakes)
      throws Exception {
    Path java21 = fakeJava(fakes, "home21", "21.0.5");
    Path cache = Files.createDirectories(fakes.resolve("cds"));
    Path stale = Files.writeString(cache.resolve("daemon.jsa"), "archive of the old runtime");
    Path current = Files.writeString(cache.resolve("command.jsa"), "archive of this runtime");
    Path modules = Files.createDirectories(java21.resolve("lib")).resolve("modules");
    Files.writeString(modules, "the upgraded runtime");
    // The upgraded runtime's files carry its package's build time, older than the archive: only
    // the record of what the archive was made for tells them apart.
    Files.setLastModifiedTime(modules, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 30_000));
    Map<String, String> env =
        Map.of("JAVA_HOME", java21.toString(), "PATH", fakes.resolve("nothing").toString());

    var daemon = launch(fakes, env, "--config", "/etc/debvisor/agent.yaml");

    assertThat(daemon.exitCode()).as(daemon.stderr()).isZero();
    assertThat(stale).doesNotExist();
    assertThat(current).hasContent("archive of this runtime");
    assertThat(arguments(daemon.stdout()))
        .contains("-XX:SharedArchiveFile=" + stale, "-XX:+AutoCreateSharedArchive");
    assertThat(cache.resolve("daemon.jsa.source")).content().contains(modules.toString());

    // The archive the JVM then writes is kept by the next start.
    Files.writeString(stale, "archive of the upgraded runtime");
    launch(fakes, env, "--config", "/etc/debvisor/agent.yaml");
    assertThat(stale).hasContent("archive of the upgraded runtime");
  }

  @Test
  void picksTheNewestSuitableJvmDirectory(@TempDir Path fakes) throws Exception {
    fakeJava(fakes, "jvm/java-21-openjdk-amd64", "21.0.5");
    Path java25 = fakeJava(fakes, "jvm/java-25-openjdk-amd64", "25");
    // Named like a newer release but reports an old version: skipped after checking it.
    fakeJava(fakes, "jvm/java-29-openjdk-amd64", "17.0.13");

    var result = launch(fakes, Map.of("PATH", fakes.resolve("nothing").toString()));

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(ranJava(result.stdout())).isEqualTo(java25.resolve("bin/java").toString());
  }

  @Test
  void fallsBackToJavaOnPathAndPassesExtraJvmOptions(@TempDir Path fakes) throws Exception {
    Path java22 = fakeJava(fakes, "path22", "22-ea");

    var result =
        launch(
            fakes,
            Map.of(
                "JAVA_HOME", fakes.resolve("nothing").toString(),
                "PATH", java22.resolve("bin").toString(),
                "DEBVISOR_AGENT_JAVA_OPTS", "-Dfirst=1  -Dglob=*"),
            "--version");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(ranJava(result.stdout())).isEqualTo(java22.resolve("bin/java").toString());
    assertThat(arguments(result.stdout()))
        .containsExactlyElementsOf(
            concat(COMMAND_FLAGS, List.of("-Dfirst=1", "-Dglob=*", "-jar", JAR, "--version")));
  }

  /** Runs the launcher with only the given environment; {@code fakes/jvm} replaces /usr/lib/jvm. */
  private CommandRunner.CommandResult launch(
      Path fakes, Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>(environment);
    env.put("DEBVISOR_JVM_DIR", fakes.resolve("jvm").toString());
    // The built-in flags unless a test names a defaults file (never this machine's).
    env.putIfAbsent("DEBVISOR_AGENT_DEFAULTS", fakes.resolve("no-defaults").toString());
    // No archive flags unless a test creates this directory.
    env.put("DEBVISOR_AGENT_CDS_DIR", fakes.resolve("cds").toString());
    List<String> command = concat(List.of("/bin/sh", launcher.toString()), List.of(args));
    return runner.run(command, env);
  }

  /**
   * Creates {@code fakes/dir/bin/java}: it prints the version like a JDK for {@code -version}, else
   * its own path and each argument on a line.
   */
  private static Path fakeJava(Path fakes, String dir, String version) throws IOException {
    Path home = fakes.resolve(dir);
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(
        java,
        """
        #!/bin/sh
        if [ "$1" = -version ]; then
          echo 'Picked up JAVA_TOOL_OPTIONS: -Dx=1' >&2
          echo 'openjdk version "%s" 2025-01-01' >&2
          echo 'OpenJDK Runtime Environment (build %s)' >&2
          exit 0
        fi
        echo "ran $0"
        echo "MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-}"
        for a in "$@"; do echo "arg $a"; done
        """
            .formatted(version, version));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  private static String ranJava(String stdout) {
    return stdout.lines().filter(l -> l.startsWith("ran ")).findFirst().orElse("ran ").substring(4);
  }

  private static List<String> arguments(String stdout) {
    return stdout.lines().filter(l -> l.startsWith("arg ")).map(l -> l.substring(4)).toList();
  }

  private static List<String> concat(List<String> first, List<String> second) {
    return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
  }
}
