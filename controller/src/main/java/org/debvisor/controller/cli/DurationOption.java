package org.debvisor.controller.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written like {@code 90s}, {@code 15m} or {@code 1h} or {@code 7d}. */
final class DurationOption {

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,6})([smhd])");

  private DurationOption() {}

  static Duration parse(String option, String value) {
    Matcher m = FORMAT.matcher(value == null ? "" : value);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new IllegalArgumentException(
          option
              + ": expected a positive number with s, m or h (or d for days), like 15m; got '"
              + value
              + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
