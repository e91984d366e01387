package org.debvisor.controller.mirror;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.debvisor.common.digest.Sha256;

/** The SHA256 section of a verified Debian {@code Release}/{@code InRelease} text. */
final class ReleaseFile {

  /** One listed file: its checksum and size. */
  public record Entry(String sha256, long size) {}

  // Debian writes dates like "Sat, 21 Nov 2026 09:15:44 UTC".
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss z", Locale.ROOT);

  private final Map<String, Entry> sha256;
  private final Optional<Instant> validUntil;

  private ReleaseFile(Map<String, Entry> sha256, Optional<Instant> validUntil) {
    this.sha256 = Map.copyOf(sha256);
    this.validUntil = validUntil;
  }

  /** Parses the text inside the signature. */
  public static ReleaseFile parse(String text) {
    Map<String, Entry> entries = new HashMap<>();
    boolean inSection = false;
    Optional<Instant> validUntil = Optional.empty();
    for (String line : text.lines().toList()) {
      if (line.startsWith("Valid-Until:")) {
        validUntil = date(line.substring("Valid-Until:".length()).trim());
      }
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
    return new ReleaseFile(entries, validUntil);
  }

  /**
   * The signed {@code Valid-Until}, if the suite sets one (Debian's stable suites do not; an
   * unreadable date counts as none, so the cache's own maximum age applies).
   */
  public Optional<Instant> validUntil() {
    return validUntil;
  }

  private static Optional<Instant> date(String value) {
    try {
      return Optional.of(ZonedDateTime.parse(value, DATE).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The entry of a path relative to the suite directory, like {@code
   * main/binary-amd64/Packages.xz}.
   */
  public Optional<Entry> sha256(String path) {
    return Optional.ofNullable(sha256.get(path));
  }
}
