package org.debvisor.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The directories under which bundle files may live, compared as normalised absolute paths. */
final class AllowedRoots {

  private final List<Path> roots;

  AllowedRoots(List<Path> configured) {
    this.roots = configured.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  /** The lexical root containing {@code path} strictly below it, if any. */
  Optional<Path> rootOf(Path path) {
    return roots.stream().filter(r -> path.startsWith(r) && !path.equals(r)).findFirst();
  }

  boolean isRoot(Path path) {
    return roots.contains(path);
  }

  /** Real (symlink-free) paths of the roots that exist now. */
  List<Path> realRoots() {
    List<Path> real = new ArrayList<>();
    for (Path root : roots) {
      try {
        if (Files.isDirectory(root)) {
          real.add(root.toRealPath());
        }
      } catch (IOException e) {
        // A root that vanished while resolving it simply admits nothing.
      }
    }
    return real;
  }

  String describe() {
    return roots.stream().map(Path::toString).collect(Collectors.joining(", "));
  }
}
