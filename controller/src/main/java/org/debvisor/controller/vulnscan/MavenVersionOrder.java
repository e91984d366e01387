package org.debvisor.controller.vulnscan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maven's version order, close to its ComparableVersion: numbers compare as numbers, a release is
 * newer than its alpha/beta/milestone/rc/snapshot and older than its sp, a number is newer than a
 * qualifier, and missing parts count as 0 (1.0 == 1.0.0).
 */
public final class MavenVersionOrder implements VersionOrder {

  private static final List<String> QUALIFIERS =
      List.of("alpha", "beta", "milestone", "rc", "snapshot", "", "sp");

  @Override
  public int compare(String a, String b) {
    List<String> left = tokens(a);
    List<String> right = tokens(b);
    for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
      String x = i < left.size() ? left.get(i) : "";
      String y = i < right.size() ? right.get(i) : "";
      int c = compareToken(x, y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int compareToken(String x, String y) {
    boolean xNumber = isNumber(x);
    boolean yNumber = isNumber(y);
    if (xNumber && yNumber) {
      return new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y));
    }
    // A missing part against a number is 0; against a qualifier it is the release.
    if (xNumber) {
      return y.isEmpty() ? new java.math.BigInteger(x).signum() : 1;
    }
    if (yNumber) {
      return x.isEmpty() ? -new java.math.BigInteger(y).signum() : -1;
    }
    return Integer.compare(rank(x), rank(y)) != 0
        ? Integer.compare(rank(x), rank(y))
        : x.compareTo(y);
  }

  private static int rank(String qualifier) {
    int known = QUALIFIERS.indexOf(qualifier);
    // Unknown qualifiers sort after every known one, among themselves alphabetically.
    return known >= 0 ? known : QUALIFIERS.size();
  }

  private static boolean isNumber(String token) {
    return !token.isEmpty() && token.chars().allMatch(Character::isDigit);
  }

  /** Splits at '.', '-', '_' and between digits and letters; normalises Maven's aliases. */
  private static List<String> tokens(String version) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    String v = version.toLowerCase(Locale.ROOT);
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean separator = c == '.' || c == '-' || c == '_';
      boolean kindChange =
          current.length() > 0
              && Character.isDigit(c) != Character.isDigit(current.charAt(current.length() - 1));
      if (separator || kindChange) {
        out.add(alias(current.toString()));
        current.setLength(0);
      }
      if (!separator) {
        current.append(c);
      }
    }
    out.add(alias(current.toString()));
    // Trailing zeros and release words do not make a version newer (1.0.0 == 1 == 1-final).
    while (!out.isEmpty() && (out.getLast().isEmpty() || out.getLast().matches("0+"))) {
      out.removeLast();
    }
    return out;
  }

  private static String alias(String token) {
    return switch (token) {
      case "a" -> "alpha";
      case "b" -> "beta";
      case "m" -> "milestone";
      case "cr" -> "rc";
      case "ga", "final", "release" -> "";
      default -> token;
    };
  }
}
