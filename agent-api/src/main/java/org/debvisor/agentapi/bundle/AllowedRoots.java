package org.debvisor.agentapi.bundle;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The directories under which bundle files may live, compared as normalised absolute paths, without
 * looking at the disk (the agent resolves symlinks separately, just before it writes).
 */
public final class AllowedRoots {

  private final List<Path> roots;

  public AllowedRoots(List<Path> configured) {
    this.roots = configured.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  /** The roots as configured, normalised. */
  public List<Path> roots() {
    return roots;
  }

  /** The lexical root containing {@code path} strictly below it, if any. */
  public Optional<Path> rootOf(Path path) {
    return roots.stream().filter(r -> path.startsWith(r) && !path.equals(r)).findFirst();
  }

  public boolean isRoot(Path path) {
    return roots.contains(path);
  }

  /** The roots separated by commas, for messages. */
  public String describe() {
    return roots.stream().map(Path::toString).collect(Collectors.joining(", "));
  }
}
