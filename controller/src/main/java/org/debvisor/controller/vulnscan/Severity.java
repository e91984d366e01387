package org.debvisor.controller.vulnscan;

import java.util.Locale;

/** An advisory's severity, as OSV feeds (GitHub's, Debian's) spell it; UNKNOWN when unrated. */
public enum Severity {
  UNKNOWN,
  LOW,
  MODERATE,
  HIGH,
  CRITICAL;

  /** Reads GHSA/OSV words (MEDIUM is MODERATE); anything else is UNKNOWN. */
  public static Severity parse(String text) {
    if (text == null) {
      return UNKNOWN;
    }
    return switch (text.strip().toUpperCase(Locale.ROOT)) {
      case "CRITICAL" -> CRITICAL;
      case "HIGH" -> HIGH;
      case "MODERATE", "MEDIUM" -> MODERATE;
      case "LOW" -> LOW;
      default -> UNKNOWN;
    };
  }

  /** The CVSS v3 rating of a base score: 9.0 critical, 7.0 high, 4.0 medium, above 0 low. */
  public static Severity ofCvssScore(double score) {
    if (score >= 9.0) {
      return CRITICAL;
    }
    if (score >= 7.0) {
      return HIGH;
    }
    if (score >= 4.0) {
      return MODERATE;
    }
    return score > 0 ? LOW : UNKNOWN;
  }
}
