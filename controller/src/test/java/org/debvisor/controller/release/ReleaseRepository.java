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
 * A small git repository holding this checkout's release scripts, a parent pom at {@code
 * 1.4.0-SNAPSHOT} and a changelog with a 1.4.0 section: what scripts/release.sh checks before it
 * builds anything, without the cost of the real tree.
 */
final class ReleaseRepository {

  static final String POM_VERSION = "1.4.0-SNAPSHOT";
  static final String RELEASE = "1.4.0";

  private static final List<String> SCRIPTS =
      List.of(
          "scripts/release.sh",
          "scripts/lib/release-sign.sh",
          "scripts/lib/release-base-image.sh",
          "scripts/lib/jdk.sh");

  private final Path root;
  private final CommandRunner runner;

  private ReleaseRepository(Path root, Path scratch) {
    this.root = root;
    // The runner keeps its output files in its directory: outside the tree, or it would be dirty.
    this.runner = new CommandRunner(scratch, Duration.ofSeconds(60));
  }

  /** Creates and commits the repository in {@code dir}; commands keep output in {@code scratch}. */
  static ReleaseRepository create(Path dir, Path scratch) throws IOException, InterruptedException {
    Path checkout = checkoutRoot();
    for (String script : SCRIPTS) {
      Path target = dir.resolve(script);
      Files.createDirectories(target.getParent());
      Files.copy(checkout.resolve(script), target);
    }
    Files.writeString(
        dir.resolve("pom.xml"),
        """
        <project>
          <modelVersion>4.0.0</modelVersion>
          <groupId>org.debvisor</groupId>
          <artifactId>debvisor-parent</artifactId>
          <version>%s</version>
        </project>
        """
            .formatted(POM_VERSION));
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(
        dir.resolve("docs/CHANGELOG.md"),
        "# Changelog\n\n## %s\n\n- A change.\n\n## 1.3.0\n\n- An older one.\n".formatted(RELEASE));
    Files.writeString(dir.resolve(".gitignore"), "target/\n");
    ReleaseRepository repo = new ReleaseRepository(dir, scratch);
    repo.git("init", "-q");
    repo.commitAll("fixture");
    return repo;
  }

  /** Commits every change in the repository. */
  void commitAll(String message) throws IOException, InterruptedException {
    git("add", "-A");
    git(
        "-c",
        "user.name=Release Test",
        "-c",
        "user.email=release-test@example.invalid",
        "commit",
        "-q",
        "-m",
        message);
  }

  /** This checkout's top directory (tests run in the controller module). */
  static Path checkoutRoot() {
    return Path.of("").toAbsolutePath().getParent();
  }

  Path root() {
    return root;
  }

  void git(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
    command.addAll(List.of(args));
    runner.run(command).requireSuccess();
  }

  /** Runs scripts/release.sh with these arguments. */
  CommandResult release(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(root.resolve("scripts/release.sh").toString()));
    command.addAll(List.of(args));
    return runner.run(command);
  }
}
