package org.debvisor.agent.config;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@link Instant#toString()}'s text (ISO-8601, UTC, the fraction in groups of three digits), made
 * without the general {@code DateTimeFormatter} machinery: an apply stamps its journal and its
 * commit, and that formatter was a noticeable share of an apply's CPU. Instants outside years
 * 0000-9999 are left to {@link Instant#toString()}.
 */
final class InstantText {

  private static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
  private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  private InstantText() {}

  static String of(Instant at) {
    long seconds = at.getEpochSecond();
    if (seconds < FIRST || seconds > LAST) {
      return at.toString();
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    StringBuilder text = new StringBuilder(30);
    digits(text, t.getYear(), 4).append('-');
    digits(text, t.getMonthValue(), 2).append('-');
    digits(text, t.getDayOfMonth(), 2).append('T');
    digits(text, t.getHour(), 2).append(':');
    digits(text, t.getMinute(), 2).append(':');
    digits(text, t.getSecond(), 2);
    int nano = at.getNano();
    if (nano > 0) {
      text.append('.');
      if (nano % 1_000_000 == 0) {
        digits(text, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        digits(text, nano / 1_000, 6);
      } else {
        digits(text, nano, 9);
      }
    }
    return text.append('Z').toString();
  }

  /** Appends {@code value} (not negative) zero-padded to {@code width} digits. */
  private static StringBuilder digits(StringBuilder text, int value, int width) {
    for (int bound = 10, pad = width - 1; pad > 0; bound *= 10, pad--) {
      if (value < bound) {
        text.append('0');
      }
    }
    return text.append(value);
  }
}
