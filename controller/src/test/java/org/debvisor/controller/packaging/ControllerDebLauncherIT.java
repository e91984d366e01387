package org.debvisor.controller.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.debvisor.agent.packaging.CommandRunner;
import org.debvisor.agent.packaging.CommandRunner.CommandResult;
import org.debvisor.agent.packaging.DebPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged /usr/bin/debvisor and its links from the unpacked .deb: on this machine's JDK
 * (found through JAVA_HOME or DEBVISOR_JVM_DIR) and on a fake {@code java} that prints its
 * arguments, to check what each name dispatches to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControllerDebLauncherIT {

  private static final String JAR = "/usr/share/debvisor-controller/debvisor-controller.jar";

  private CommandRunner runner;
  private DebPackage pkg;
  private Path workDir;

  @BeforeAll
  void unpack(@TempDir Path dir) throws Exception {
    workDir = dir;
    runner = new CommandRunner(dir, Duration.ofSeconds(60));
    pkg = DebPackage.unpack(runner, dir);
  }

  @Test
  void debvisorPrintsItsVersionOnTheJdkInJavaHome() throws Exception {
    var result =
        run("/usr/bin/debvisor", realJar(Map.of("JAVA_HOME", thisJdk().toString())), "--version");

    assertThat(result.requireSuccess().stdout().strip())
        .isEqualTo("debvisor " + System.getProperty("debvisor.projectVersion"));
  }

  @Test
  void cephctlLinkRunsTheFleetToolFoundThroughTheJvmDirectory() throws Exception {
    // A Debian-style name below DEBVISOR_JVM_DIR; no JAVA_HOME and no java on PATH.
    Path jvmDir = Files.createDirectories(workDir.resolve("jvm"));
    Path named = jvmDir.resolve("java-" + Runtime.version().feature() + "-openjdk-test");
    if (!Files.exists(named, LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(named, thisJdk());
    }

    var result =
        run("/usr/bin/cephctl", realJar(Map.of("DEBVISOR_JVM_DIR", jvmDir.toString())), "--help");

    assertThat(result.requireSuccess().stdout()).startsWith("Usage: cephctl").contains("cephctl");
  }

  @Test
  void eachNameDispatchesToItsMainClass(@TempDir Path fakes) throws Exception {
    Path java = fakeJava(fakes);
    Map<String, String> env = Map.of("JAVA_HOME", java.toString());
    String packagedJar = JAR;

    assertThat(javaArguments(run("/usr/bin/debvisor", env, "nodes", "list")))
        .containsExactly(
            "--enable-native-access=ALL-UNNAMED", "-jar", packagedJar, "nodes", "list");
    for (String tool : List.of("cephctl", "hvctl", "k8sctl")) {
      assertThat(javaArguments(run("/usr/bin/" + tool, env, "health", "a b")))
          .as(tool)
          .containsExactly(
              "--enable-native-access=ALL-UNNAMED",
              "-cp",
              packagedJar,
              "org.debvisor.controller.FleetMain",
              tool,
              "health",
              "a b");
    }
    assertThat(javaArguments(run("/usr/bin/debvisor-provision-node", env, "--host", "*")))
        .containsExactly(
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            packagedJar,
            "org.debvisor.controller.ProvisionNodeMain",
            "--host",
            "*");
  }

  @Test
  void eachCommandKeepsItsOwnClassDataArchiveExceptTheServer(@TempDir Path fakes) throws Exception {
    Path cds = Files.createDirectories(fakes.resolve("cds"));
    Map<String, String> env =
        Map.of("JAVA_HOME", fakeJava(fakes).toString(), "DEBVISOR_CDS_DIR", cds.toString());
    List<String> logsOff = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    assertThat(javaArguments(run("/usr/bin/debvisor", env, "iso", "build")))
        .containsSequence("-XX:SharedArchiveFile=" + cds.resolve("debvisor-iso.jsa"))
        .contains("-XX:+AutoCreateSharedArchive")
        .containsAll(logsOff)
        .endsWith("-jar", JAR, "iso", "build");
    assertThat(javaArguments(run("/usr/bin/debvisor", env, "--version")))
        .contains("-XX:SharedArchiveFile=" + cds.resolve("debvisor.jsa"));
    assertThat(javaArguments(run("/usr/bin/cephctl", env, "health")))
        .contains("-XX:SharedArchiveFile=" + cds.resolve("cephctl.jsa"));
    assertThat(javaArguments(run("/usr/bin/debvisor", env, "controller", "serve")))
        .containsExactly("--enable-native-access=ALL-UNNAMED", "-jar", JAR, "controller", "serve");
  }

  @Test
  void writesTheArchiveOnceAndReplacesItWhenTheJarChanges(@TempDir Path dir) throws Exception {
    Path cds = Files.createDirectories(dir.resolve("cds"));
    Path jar = Files.copy(pkg.file(JAR), dir.resolve("controller.jar"));
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
    Map<String, String> env =
        Map.of(
            "JAVA_HOME", thisJdk().toString(),
            "DEBVISOR_CONTROLLER_JAR", jar.toString(),
            "DEBVISOR_CDS_DIR", cds.toString());
    String version = "debvisor " + System.getProperty("debvisor.projectVersion");
    Path archive = cds.resolve("debvisor.jsa");

    assertThat(run("/usr/bin/debvisor", env, "--version").requireSuccess().stdout().strip())
        .isEqualTo(version);
    assertThat(archive).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)))
        .isIn("rw-r--r--", "r--r--r--");
    FileTime written = Files.getLastModifiedTime(archive);
    // Used, not written again; nothing about it on standard output.
    assertThat(run("/usr/bin/debvisor", env, "--version").requireSuccess().stdout().strip())
        .isEqualTo(version);
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(written);

    // A new jar (as after an upgrade): the JDK would only refuse the old archive; the launcher
    // removes it and the JVM writes one for the new jar.
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
    Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(30)));
    assertThat(run("/usr/bin/debvisor", env, "--version").requireSuccess().stdout().strip())
        .isEqualTo(version);
    assertThat(archive).isRegularFile();
    assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(Files.getLastModifiedTime(jar));

    // An upgrade as dpkg makes it: a new file in the jar's place carrying the package's
    // reproducible build time, older than the archive. The JDK would refuse the archive for good.
    FileTime buildTime = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
    Path upgraded = Files.copy(pkg.file(JAR), dir.resolve("controller.jar.dpkg-new"));
    Files.setLastModifiedTime(upgraded, buildTime);
    Files.move(upgraded, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    FileTime forOldJar = Files.getLastModifiedTime(archive);
    assertThat(run("/usr/bin/debvisor", env, "--version").requireSuccess().stdout().strip())
        .isEqualTo(version);
    assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(forOldJar);
    assertThat(cds.resolve("debvisor.jsa.source")).content().contains(jar.toString());
    FileTime forNewJar = Files.getLastModifiedTime(archive);
    assertThat(run("/usr/bin/debvisor", env, "--version").requireSuccess().stdout().strip())
        .isEqualTo(version);
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(forNewJar);
  }

  @Test
  void userWhoCannotWriteTheDirectoryReadsTheArchiveOrRunsWithout(@TempDir Path fakes)
      throws Exception {
    // Root's directory seen by another user: only read, never created or replaced.
    Path cds = Files.createDirectories(fakes.resolve("cds"));
    Files.setPosixFilePermissions(cds, PosixFilePermissions.fromString("r-xr-xr-x"));
    Map<String, String> env =
        Map.of("JAVA_HOME", fakeJava(fakes).toString(), "DEBVISOR_CDS_DIR", cds.toString());
    assertThat(javaArguments(runAsNobody("/usr/bin/debvisor", env, "nodes", "list")))
        .as("no archive yet: none asked for")
        .containsExactly("--enable-native-access=ALL-UNNAMED", "-jar", JAR, "nodes", "list");

    Files.setPosixFilePermissions(cds, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path archive = Files.writeString(cds.resolve("debvisor-nodes.jsa"), "archive");
    Files.setPosixFilePermissions(cds, PosixFilePermissions.fromString("r-xr-xr-x"));
    assertThat(javaArguments(runAsNobody("/usr/bin/debvisor", env, "nodes", "list")))
        .contains("-XX:SharedArchiveFile=" + archive)
        .doesNotContain("-XX:+AutoCreateSharedArchive");
    assertThat(Files.readString(archive)).isEqualTo("archive");

    // Made for another jar (an upgrade root has not run a command since): not used.
    Files.setPosixFilePermissions(cds, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path source = Files.writeString(cds.resolve("debvisor-nodes.jsa.source"), "2049 12 345 678 x");
    Files.setPosixFilePermissions(cds, PosixFilePermissions.fromString("r-xr-xr-x"));
    assertThat(javaArguments(runAsNobody("/usr/bin/debvisor", env, "nodes", "list")))
        .containsExactly("--enable-native-access=ALL-UNNAMED", "-jar", JAR, "nodes", "list");
    assertThat(archive).hasContent("archive");
    assertThat(source).hasContent("2049 12 345 678 x");
  }

  @Test
  void failsNamingTheToolWhenNoJavaIsNewEnough(@TempDir Path fakes) throws Exception {
    Path old = fakes.resolve("old");
    writeScript(old.resolve("bin/java"), "echo 'openjdk version \"17.0.13\" 2024-10-15' >&2");

    var result =
        run(
            "/usr/bin/hvctl",
            Map.of(
                "JAVA_HOME", old.toString(),
                "DEBVISOR_JVM_DIR", fakes.resolve("none").toString(),
                "PATH", fakes.resolve("none").toString()),
            "--help");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr())
        .contains("hvctl: error: no Java 21 or newer found.")
        .contains(old.resolve("bin/java") + " (version 17)")
        .contains("apt-get install openjdk-21-jre-headless");
  }

  private CommandResult run(String installedPath, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Map<String, String> environment = new HashMap<>();
    // Only /bin and /usr/bin (sh, readlink...) unless the test gives its own PATH.
    environment.put("PATH", "/usr/bin:/bin");
    // Never the machine's /var/cache/debvisor-controller: a directory that does not exist.
    environment.put("DEBVISOR_CDS_DIR", workDir.resolve("no-cds").toString());
    environment.putAll(env);
    List<String> command = new ArrayList<>(List.of(pkg.file(installedPath).toString()));
    command.addAll(List.of(args));
    return runner.run(command, environment);
  }

  /**
   * Runs as user nobody (setpriv), with the unpacked package readable to it: a user who may not
   * write the archive directory.
   */
  private CommandResult runAsNobody(String installedPath, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path temporary = workDir.getParent();
    openToOthers(pkg.file(installedPath), temporary);
    openToOthers(Path.of(env.get("JAVA_HOME")).resolve("bin/java"), temporary);
    Map<String, String> environment = new HashMap<>();
    environment.put("PATH", "/usr/bin:/bin");
    environment.putAll(env);
    List<String> command =
        new ArrayList<>(
            List.of(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                pkg.file(installedPath).toString()));
    command.addAll(List.of(args));
    return runner.run(command, environment);
  }

  /** Lets others read {@code file} and reach it, changing nothing at or above {@code stop}. */
  private static void openToOthers(Path file, Path stop) throws IOException {
    assertThat(file).startsWith(stop);
    for (Path p = file; !p.equals(stop); p = p.getParent()) {
      var permissions = Files.getPosixFilePermissions(p);
      permissions.add(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
      permissions.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
      Files.setPosixFilePermissions(p, permissions);
    }
  }

  /** The environment plus the unpacked jar in place of the (not installed) packaged path. */
  private Map<String, String> realJar(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("DEBVISOR_CONTROLLER_JAR", pkg.file(JAR).toString());
    return all;
  }

  private static Path thisJdk() {
    return Path.of(System.getProperty("java.home"));
  }

  /** A java home whose bin/java claims version 21 and prints one argument per line. */
  private static Path fakeJava(Path dir) throws IOException {
    Path home = dir.resolve("fake21");
    writeScript(
        home.resolve("bin/java"),
        """
        if [ "$1" = -version ]; then
          echo 'openjdk version "21.0.5" 2024-10-15' >&2
          exit 0
        fi
        for a in "$@"; do printf 'ARG %s\\n' "$a"; done
        """);
    return home;
  }

  private static void writeScript(Path file, String body) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static List<String> javaArguments(CommandResult result) {
    return result
        .requireSuccess()
        .stdout()
        .lines()
        .filter(line -> line.startsWith("ARG "))
        .map(line -> line.substring(4))
        .toList();
  }
}
