package org.debvisor.controller.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.debvisor.common.digest.Sha256;

/** Every file under a directory with its SHA-256 and mode: "nothing changed" made checkable. */
public final class DirectorySnapshot {

  private DirectorySnapshot() {}

  public static Map<String, String> of(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.exists(root)) {
      return files;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted().toList()) {
        String name = root.relativize(p).toString();
        files.put(
            name,
            Files.isDirectory(p)
                ? "dir " + DurableFiles.modeOf(p)
                : Sha256.hex(p) + " " + DurableFiles.modeOf(p));
      }
    }
    return files;
  }

  /** The names in {@code dir} (not recursive), sorted. */
  static java.util.List<String> names(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
