package org.debvisor.controller.mirror;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.debvisor.common.digest.Sha256;

/** The SHA256 section of a verified Debian {@code Release}/{@code InRelease} text. */
final class ReleaseFile {

  /** One listed file: its checksum and size. */
  public record Entry(String sha256, long size) {}

  private final Map<String, Entry> sha256;

  private ReleaseFile(Map<String, Entry> sha256) {
    this.sha256 = Map.copyOf(sha256);
  }

  /** Parses the text inside the signature. */
  public static ReleaseFile parse(String text) {
    Map<String, Entry> entries = new HashMap<>();
    boolean inSection = false;
    for (String line : text.lines().toList()) {
      if (!line.startsWith(" ")) {
        inSection = line.equals("SHA256:");
        continue;
      }
      if (inSection) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 3 && Sha256.isHex(parts[0])) {
          entries.put(parts[2], new Entry(parts[0], Long.parseLong(parts[1])));
        }
      }
    }
    return new ReleaseFile(entries);
  }

  /**
   * The entry of a path relative to the suite directory, like {@code
   * main/binary-amd64/Packages.xz}.
   */
  public Optional<Entry> sha256(String path) {
    return Optional.ofNullable(sha256.get(path));
  }
}
