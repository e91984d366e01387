package org.debvisor.controller.monitoring;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects. Enough of PromQL for dashboards and rules: strings,
 * label matchers, grouping clauses, ranges and numbers are removed first, then every identifier
 * that is not a function call or keyword is a metric name. Grafana's variables are replaced by
 * values Prometheus accepts, so {@link #forPrometheus} also gives promtool something to parse.
 */
final class PromqlNames {

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern NUMBER =
      Pattern.compile("(?<![A-Za-z0-9_:])\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?(?:ms|[smhdwy])?");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "by", "without");

  private PromqlNames() {}

  /** The expression with Grafana's variables replaced: intervals by 5m, others by {@code .*}. */
  static String forPrometheus(String expression) {
    return expression
        .replace("$__rate_interval", "5m")
        .replace("$__interval", "5m")
        .replace("$__range", "1h")
        .replaceAll("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?", ".*");
  }

  static Set<String> metricNames(String expression) {
    String rest = forPrometheus(expression);
    rest = STRING.matcher(rest).replaceAll(" ");
    rest = MATCHERS.matcher(rest).replaceAll(" ");
    rest = GROUPING.matcher(rest).replaceAll(" ");
    rest = RANGE.matcher(rest).replaceAll(" ");
    rest = NUMBER.matcher(rest).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(rest);
    while (m.find()) {
      String word = m.group().replaceAll("\\s*\\($", "");
      boolean call = m.group(1) != null;
      if (!call && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
        names.add(word);
      }
    }
    return names;
  }
}
