package org.debvisor.controller.vulnscan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The base metrics of a CVSS v3.0/v3.1 vector ({@code
 * CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H}) and its base score by the specification's formula,
 * so OSV records that give only a vector still get a severity. Metric weights are the constants of
 * the CVSS v3.1 specification, section 7.4.
 */
public record CvssV3Vector(
    double attackVector,
    double attackComplexity,
    double privilegesRequired,
    double userInteraction,
    boolean scopeChanged,
    double confidentiality,
    double integrity,
    double availability) {

  private static final List<String> BASE_METRICS =
      List.of("AV", "AC", "PR", "UI", "S", "C", "I", "A");

  /** Parses a v3.x vector; empty when it is not one or lacks or repeats a base metric. */
  public static Optional<CvssV3Vector> parse(String text) {
    if (text == null || !(text.startsWith("CVSS:3.0/") || text.startsWith("CVSS:3.1/"))) {
      return Optional.empty();
    }
    Map<String, String> metrics = new HashMap<>();
    for (String part : text.substring("CVSS:3.x/".length()).split("/")) {
      String[] pair = part.split(":", -1);
      if (pair.length != 2 || metrics.putIfAbsent(pair[0], pair[1]) != null) {
        return Optional.empty();
      }
    }
    if (!metrics.keySet().containsAll(BASE_METRICS)) {
      return Optional.empty();
    }
    boolean changed;
    switch (metrics.get("S")) {
      case "U" -> changed = false;
      case "C" -> changed = true;
      default -> {
        return Optional.empty();
      }
    }
    double av = weight(metrics.get("AV"), Map.of("N", 0.85, "A", 0.62, "L", 0.55, "P", 0.2));
    double ac = weight(metrics.get("AC"), Map.of("L", 0.77, "H", 0.44));
    // A privilege needed in a changed scope weighs more (the attacker crosses a boundary).
    double pr =
        changed
            ? weight(metrics.get("PR"), Map.of("N", 0.85, "L", 0.68, "H", 0.5))
            : weight(metrics.get("PR"), Map.of("N", 0.85, "L", 0.62, "H", 0.27));
    double ui = weight(metrics.get("UI"), Map.of("N", 0.85, "R", 0.62));
    double c = weight(metrics.get("C"), Map.of("H", 0.56, "L", 0.22, "N", 0.0));
    double i = weight(metrics.get("I"), Map.of("H", 0.56, "L", 0.22, "N", 0.0));
    double a = weight(metrics.get("A"), Map.of("H", 0.56, "L", 0.22, "N", 0.0));
    if (Double.isNaN(av + ac + pr + ui + c + i + a)) {
      return Optional.empty();
    }
    return Optional.of(new CvssV3Vector(av, ac, pr, ui, changed, c, i, a));
  }

  /** The base score, 0.0 to 10.0 in steps of 0.1. */
  public double baseScore() {
    double iss = 1 - (1 - confidentiality) * (1 - integrity) * (1 - availability);
    double impact =
        scopeChanged ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
    if (impact <= 0) {
      return 0.0;
    }
    double exploitability =
        8.22 * attackVector * attackComplexity * privilegesRequired * userInteraction;
    double sum = scopeChanged ? 1.08 * (impact + exploitability) : impact + exploitability;
    return roundUp(Math.min(sum, 10));
  }

  /**
   * CVSS v3.1's Roundup: the smallest one-decimal number not below {@code value}, computed on
   * integers so that e.g. 4.000000000000001 does not become 4.1.
   */
  static double roundUp(double value) {
    long scaled = Math.round(value * 100_000);
    if (scaled % 10_000 == 0) {
      return scaled / 100_000.0;
    }
    return (Math.floorDiv(scaled, 10_000) + 1) / 10.0;
  }

  /** The weight of a metric's letter, NaN for a letter the metric does not have. */
  private static double weight(String letter, Map<String, Double> weights) {
    return weights.getOrDefault(letter, Double.NaN);
  }
}
