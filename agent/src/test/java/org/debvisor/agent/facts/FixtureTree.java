package org.debvisor.agent.facts;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Lays out a machine's /proc, /sys and /dev fixture from test resources: plain files are copied,
 * and the symbolic links sysfs is made of are created from the tree's {@code LINKS} file (build
 * tools do not copy links faithfully).
 */
final class FixtureTree {

  private FixtureTree() {}

  static Path materialise(String name, Path target) throws IOException {
    Path source;
    try {
      source = Path.of(FixtureTree.class.getResource("/facts/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    List<Path> files;
    try (var walk = Files.walk(source)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      Path copy = target.resolve(source.relativize(file).toString());
      Files.createDirectories(copy.getParent());
      Files.copy(file, copy);
    }
    for (String line : Files.readAllLines(source.resolve("LINKS"))) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split(" -> ", 2);
      Path link = target.resolve(parts[0]);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of(parts[1]));
    }
    Files.delete(target.resolve("LINKS"));
    return target;
  }
}
