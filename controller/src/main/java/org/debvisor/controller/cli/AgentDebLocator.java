package org.debvisor.controller.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the agent package: beside the running jar (the installed controller package's share
 * directory, {@code /usr/share/debvisor-controller}), else the one built in this source tree
 * ({@code agent/target/debvisor-agent_*_all.deb}) from the current directory or from the running
 * jar's location and the directories above it.
 */
final class AgentDebLocator {

  private static final String GLOB = "debvisor-agent_*_all.deb";
  private static final int LEVELS_UP = 4;

  private final Path workingDir;
  private final Path jarLocation;

  /**
   * @param workingDir the current directory
   * @param jarLocation the running jar or classes directory; may be null
   */
  AgentDebLocator(Path workingDir, Path jarLocation) {
    this.workingDir = workingDir;
    this.jarLocation = jarLocation;
  }

  /** The directories searched, in order, for messages. */
  List<Path> searched() {
    Set<Path> dirs = new LinkedHashSet<>();
    if (jarLocation != null && !Files.isDirectory(jarLocation)) {
      Path beside = jarLocation.toAbsolutePath().normalize().getParent();
      if (beside != null) {
        dirs.add(beside);
      }
    }
    dirs.add(workingDir.toAbsolutePath().normalize().resolve("agent/target"));
    if (jarLocation != null) {
      Path jar = jarLocation.toAbsolutePath().normalize();
      Path base = Files.isDirectory(jar) ? jar : jar.getParent();
      for (int up = 0; up < LEVELS_UP && base != null; up++, base = base.getParent()) {
        dirs.add(base.resolve("agent/target"));
      }
    }
    return List.copyOf(dirs);
  }

  /** The first directory holding exactly one agent package decides; several there is an error. */
  Optional<Path> find() throws IOException {
    for (Path dir : searched()) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> debs = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, GLOB)) {
        stream.forEach(debs::add);
      }
      if (debs.size() > 1) {
        throw new IOException(
            dir
                + " holds several agent packages "
                + debs.stream().sorted().toList()
                + "; pass the one to use with --agent-deb");
      }
      if (debs.size() == 1) {
        return Optional.of(debs.getFirst());
      }
    }
    return Optional.empty();
  }
}
