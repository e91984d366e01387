package org.debvisor.controller.iso;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.debvisor.common.file.ReplacedFile;

/**
 * A {@code SHA256SUMS} file as {@code sha256sum} writes and checks it: one {@code <64 hex> <name>}
 * line per file, sorted by name. The builder writes it; the controller's ISO library lists it.
 */
public final class Sha256Sums {

  private Sha256Sums() {}

  /** The file's lines as name → SHA-256, sorted by name; empty when there is no file yet. */
  public static Map<String, String> read(Path file) throws IOException {
    Map<String, String> byName = new TreeMap<>();
    if (!Files.exists(file)) {
      return byName;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.indexOf("  ") == 64) {
        byName.put(line.substring(66), line.substring(0, 64));
      }
    }
    return byName;
  }

  /** Adds or replaces {@code name}'s line, keeping the lines of the other files. */
  static void put(Path file, String name, String sha256) throws IOException {
    Map<String, String> byName = read(file);
    byName.put(name, sha256);
    StringBuilder text = new StringBuilder();
    byName.forEach((n, sha) -> text.append(sha).append("  ").append(n).append('\n'));
    // A run stopped here leaves the previous list whole, not half of a new one.
    ReplacedFile.writeString(file, text.toString());
  }
}
