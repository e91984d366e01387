package org.debvisor.controller.node;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A partition or disk size in partman's decimal megabytes.
 *
 * @param megabytes the size; {@link #UNLIMITED_MB} for "as large as the disk allows"
 */
public record Size(long megabytes) {

  /** What partman takes as "no upper bound". */
  public static final long UNLIMITED_MB = 1_000_000_000L;

  private static final Pattern FORMAT = Pattern.compile("([1-9]\\d{0,6})([MGT])");

  /** Parses {@code 512M}, {@code 20G}, {@code 2T} (1G = 1000M, as partman counts). */
  public static Optional<Size> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    long number = Long.parseLong(m.group(1));
    long factor =
        switch (m.group(2)) {
          case "G" -> 1_000L;
          case "T" -> 1_000_000L;
          default -> 1L;
        };
    long mb = number * factor;
    return mb >= UNLIMITED_MB ? Optional.empty() : Optional.of(new Size(mb));
  }

  /** Like {@link #parse} but also accepts {@code unlimited}. */
  public static Optional<Size> parseMax(String text) {
    return "unlimited".equals(text) ? Optional.of(new Size(UNLIMITED_MB)) : parse(text);
  }

  /** Whether this is the unbounded size. */
  public boolean isUnlimited() {
    return megabytes == UNLIMITED_MB;
  }
}
