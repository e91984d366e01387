package org.debvisor.agentapi;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the human durations used in agent.yaml: {@code 500ms}, {@code 15s}, {@code 2m}, {@code
 * 1h}.
 */
public final class DurationParser {

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

  private DurationParser() {}

  /**
   * Parses one duration.
   *
   * @throws IllegalArgumentException naming the accepted format
   */
  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write a number and a unit: 500ms, 15s, 2m or 1h");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  /**
   * Writes a duration so that {@link #parse} reads it back: the largest unit that is exact.
   *
   * @throws IllegalArgumentException for negative durations, or ones finer than a millisecond
   */
  public static String format(Duration duration) {
    if (duration.isNegative() || duration.toNanosPart() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          duration + " cannot be written in agent.yaml: whole milliseconds of 0 or more only");
    }
    long millis = duration.toMillis();
    if (millis != 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis != 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
