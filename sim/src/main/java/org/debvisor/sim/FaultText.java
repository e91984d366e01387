package org.debvisor.sim;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads fault options as operators write them: {@code 5%} or {@code 0.05}; {@code 200ms..2s}. */
public final class FaultText {

  private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,6})?)%");
  private static final Pattern SHARE = Pattern.compile("(0(?:\\.\\d{1,6})?|1(?:\\.0{1,6})?)");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(ms|s|m)");

  private FaultText() {}

  /**
   * A share of 0..1 from {@code 5%} or {@code 0.05}.
   *
   * @throws IllegalArgumentException naming the option and the expected form
   */
  public static double fraction(String option, String text) {
    String value = text == null ? "" : text.strip();
    Matcher percent = PERCENT.matcher(value);
    double share = -1;
    if (percent.matches()) {
      share = Double.parseDouble(percent.group(1)) / 100;
    } else if (SHARE.matcher(value).matches()) {
      share = Double.parseDouble(value);
    }
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException(
          option + ": expected a share like 5% or 0.05 (0 to 100 %), got '" + text + "'");
    }
    return share;
  }

  /**
   * A fixed delay ({@code 200ms}) or a range ({@code 100ms..2s}) as {min, max}.
   *
   * @throws IllegalArgumentException naming the option and the expected form
   */
  public static Duration[] delay(String option, String text) {
    String value = text == null ? "" : text.strip();
    int dots = value.indexOf("..");
    try {
      Duration min = duration(dots < 0 ? value : value.substring(0, dots));
      Duration max = dots < 0 ? min : duration(value.substring(dots + 2));
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("the range ends before it starts");
      }
      return new Duration[] {min, max};
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option
              + ": expected a delay like 200ms or a range like 100ms..2s (units ms, s, m), got '"
              + text
              + "'"
              + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          e);
    }
  }

  private static Duration duration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException((String) null);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }
}
