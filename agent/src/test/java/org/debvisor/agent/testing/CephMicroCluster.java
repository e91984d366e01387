package org.debvisor.agent.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Ceph cluster (1 mon, 1 memstore OSD, 1 mgr, pool {@code demo}) on loopback,
 * started by {@code src/test/scripts/ceph-micro.sh} in a temporary directory and stopped by {@link
 * #close()}. Needs root and the ceph-mon, ceph-osd and ceph-mgr packages.
 */
public final class CephMicroCluster implements AutoCloseable {

  private static final long START_TIMEOUT_SECONDS = 120;
  private static final long COMMAND_TIMEOUT_SECONDS = 60;

  private final Path script;
  private final Path directory;
  private final Path confFile;
  private final Path adminKeyring;
  private final Path clientKeyring;
  private final Thread stopAtExit;

  private CephMicroCluster(Path script, Path directory, Map<String, String> started) {
    this.script = script;
    this.directory = directory;
    this.confFile = Path.of(started.get("CEPH_CONF"));
    this.adminKeyring = Path.of(started.get("CEPH_KEYRING"));
    this.clientKeyring = Path.of(started.get("CEPH_CLIENT_KEYRING"));
    // stop the daemons even when a test run is cut short without close()
    this.stopAtExit = new Thread(this::stopQuietly, "ceph-micro-stop");
    Runtime.getRuntime().addShutdownHook(stopAtExit);
  }

  /** Starts a new cluster and returns once it is HEALTH_OK with all PGs active+clean. */
  public static CephMicroCluster start() throws IOException, InterruptedException {
    requireInstalled("ceph-mon");
    Path script = findScript();
    Path directory = Files.createTempDirectory("ceph-micro-");
    Result result;
    try {
      result = run(START_TIMEOUT_SECONDS, "bash", script.toString(), "start", directory.toString());
    } catch (IOException | RuntimeException e) {
      run(COMMAND_TIMEOUT_SECONDS, "bash", script.toString(), "stop", directory.toString());
      throw e;
    }
    if (result.exitCode() != 0) {
      run(COMMAND_TIMEOUT_SECONDS, "bash", script.toString(), "stop", directory.toString());
      throw new IllegalStateException(
          "ceph-micro.sh start failed (exit " + result.exitCode() + "):\n" + result.output());
    }
    Map<String, String> started = new HashMap<>();
    for (String line : result.stdout().split("\n")) {
      int eq = line.indexOf('=');
      if (line.startsWith("CEPH_") && eq > 0) {
        started.put(line.substring(0, eq), line.substring(eq + 1).strip());
      }
    }
    for (String key : List.of("CEPH_CONF", "CEPH_KEYRING", "CEPH_CLIENT_KEYRING")) {
      if (!started.containsKey(key)) {
        throw new IllegalStateException(
            "ceph-micro.sh did not print " + key + ":\n" + result.output());
      }
    }
    return new CephMicroCluster(script, directory, started);
  }

  /** ceph.conf naming the monitor (v2 and v1 on 127.0.0.1). */
  public Path confFile() {
    return confFile;
  }

  /** Keyring of {@code client.admin}. */
  public Path adminKeyring() {
    return adminKeyring;
  }

  /** Keyring of the read-only {@code client.debvisor} ({@code mon 'allow r'}). */
  public Path clientKeyring() {
    return clientKeyring;
  }

  /** The read-only client's id, without the {@code client.} prefix. */
  public String clientId() {
    return "debvisor";
  }

  /** Directory holding the cluster's configuration, data, logs and sockets. */
  public Path directory() {
    return directory;
  }

  /**
   * Runs the {@code ceph} CLI as client.admin against this cluster and returns its standard output.
   *
   * @throws IllegalStateException when the command fails
   */
  public String ceph(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "ceph",
            "-c",
            confFile.toString(),
            "-k",
            adminKeyring.toString(),
            "--connect-timeout",
            "10"));
    command.addAll(List.of(args));
    Result result = run(COMMAND_TIMEOUT_SECONDS, command.toArray(String[]::new));
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " failed (exit "
              + result.exitCode()
              + "):\n"
              + result.output());
    }
    return result.stdout();
  }

  /** SIGKILLs the monitor only; the OSD and mgr keep running. */
  public void killMonitor() throws IOException, InterruptedException {
    Result result =
        run(COMMAND_TIMEOUT_SECONDS, "bash", script.toString(), "kill-mon", directory.toString());
    if (result.exitCode() != 0) {
      throw new IllegalStateException("ceph-micro.sh kill-mon failed:\n" + result.output());
    }
  }

  /** Stops the daemons and deletes the cluster's directory. */
  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(stopAtExit);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running or has run
    }
  }

  private void stopQuietly() {
    try {
      Result result =
          run(COMMAND_TIMEOUT_SECONDS, "bash", script.toString(), "stop", directory.toString());
      if (result.exitCode() != 0) {
        System.err.println("ceph-micro.sh stop " + directory + " failed:\n" + result.output());
      }
    } catch (IOException e) {
      System.err.println("ceph-micro.sh stop " + directory + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void requireInstalled(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return;
      }
    }
    throw new IllegalStateException(
        program
            + " is not installed; run scripts/test.sh, which installs ceph-mon ceph-osd ceph-mgr");
  }

  private static Path findScript() {
    Path relative = Path.of("src", "test", "scripts", "ceph-micro.sh");
    // surefire sets basedir to the module; an IDE may run from the repository root
    for (Path base :
        List.of(
            Path.of(System.getProperty("basedir", ".")),
            Path.of(System.getProperty("user.dir")),
            Path.of(System.getProperty("user.dir"), "agent"))) {
      Path candidate = base.resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    throw new IllegalStateException(
        "cannot find agent/" + relative + " from " + Path.of("").toAbsolutePath());
  }

  private record Result(int exitCode, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  // Output goes to files, not pipes: the daemons must never hold a pipe we wait on.
  private static Result run(long timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("ceph-micro-out-", ".txt");
    Path err = Files.createTempFile("ceph-micro-err-", ".txt");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(
            String.join(" ", command)
                + " did not finish within "
                + timeoutSeconds
                + "s:\n"
                + Files.readString(out, StandardCharsets.UTF_8)
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
