package org.debvisor.controller.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.agent.packaging.CommandRunner;
import org.debvisor.agent.packaging.CommandRunner.CommandResult;

/**
 * Podman with an image and container store of its own below a test directory, so a test never sees
 * or changes the machine's images and containers. Closing removes what it ran and loaded.
 */
final class PodmanStore implements AutoCloseable {

  private final CommandRunner runner;
  private final List<String> podman;

  PodmanStore(Path dir) throws IOException {
    this.runner = new CommandRunner(Files.createDirectories(dir), Duration.ofMinutes(10));
    this.podman =
        List.of(
            "podman",
            "--root",
            Files.createDirectories(dir.resolve("storage")).toString(),
            "--runroot",
            Files.createDirectories(dir.resolve("run")).toString(),
            "--tmpdir",
            Files.createDirectories(dir.resolve("tmp")).toString(),
            // No systemd journal on these machines.
            "--events-backend",
            "file",
            // Debian's default crun refuses these machines' hybrid cgroup v1/v2 layout; runc runs.
            "--runtime",
            "runc");
  }

  /** {@code podman load} of an image archive; the name it was loaded as. */
  String load(Path archive) throws IOException, InterruptedException {
    String out = podman("load", "--input", archive.toString()).requireSuccess().stdout();
    // "Loaded image: NAME" (or "Loaded image(s): NAME,…" from older versions).
    return out.lines()
        .filter(line -> line.startsWith("Loaded image"))
        .map(line -> line.substring(line.indexOf(':') + 1).strip().split(",")[0])
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("podman load named no image: " + out));
  }

  /** The image's configured user, e.g. {@code 65532:65532}. */
  String user(String image) throws IOException, InterruptedException {
    return podman("image", "inspect", "--format", "{{.Config.User}}", image)
        .requireSuccess()
        .stdout()
        .strip();
  }

  /**
   * Starts {@code image} detached on the host's network (the test talks to it on loopback) with
   * {@code options} (volumes) and {@code args} in place of its command; the container's name.
   */
  String start(String name, String image, List<String> options, List<String> args)
      throws IOException, InterruptedException {
    List<String> run =
        new ArrayList<>(
            List.of(
                "run",
                "--detach",
                "--name",
                name,
                "--network=host",
                // Podman's defaults for root exceed what a container may set here (setrlimit is
                // refused); below the machine's limits, ample for one JVM.
                "--ulimit",
                "nofile=4096:4096",
                "--ulimit",
                "nproc=4096:4096"));
    run.addAll(options);
    run.add(image);
    run.addAll(args);
    podman(run.toArray(String[]::new)).requireSuccess();
    return name;
  }

  boolean running(String container) throws IOException, InterruptedException {
    CommandResult state =
        podman("container", "inspect", "--format", "{{.State.Running}}", container);
    return state.exitCode() == 0 && state.stdout().strip().equals("true");
  }

  /** What the container printed, for failure messages. */
  String logs(String container) throws IOException, InterruptedException {
    CommandResult logs = podman("logs", container);
    return logs.stdout() + logs.stderr();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    podman("rm", "--force", "--all", "--time", "10");
    podman("rmi", "--force", "--all");
  }

  private CommandResult podman(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(podman);
    command.addAll(List.of(args));
    return runner.run(command);
  }
}
