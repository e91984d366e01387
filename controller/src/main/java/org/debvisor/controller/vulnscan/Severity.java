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
}
