package org.debvisor.controller.pki;

import java.time.Duration;
import java.util.List;

/**
 * How node certificates are issued: validity and renewal window, and the extra names the
 * controller's own server certificate carries besides localhost, 127.0.0.1 and ::1.
 */
public record CertificatePolicy(
    Duration nodeValidity, Duration renewBefore, List<String> serverNames) {

  /** 7 days of validity, renewal in the last 2 days. */
  public static final CertificatePolicy DEFAULT =
      new CertificatePolicy(Duration.ofDays(7), Duration.ofDays(2), List.of());

  public CertificatePolicy {
    serverNames = List.copyOf(serverNames);
    if (nodeValidity.compareTo(Duration.ofMinutes(10)) < 0
        || nodeValidity.compareTo(Duration.ofDays(398)) > 0) {
      throw new IllegalArgumentException(
          "certificate validity must be between 10m and 398d, got " + nodeValidity);
    }
    if (renewBefore.isNegative() || renewBefore.compareTo(nodeValidity) >= 0) {
      throw new IllegalArgumentException(
          "renew-before must be shorter than the validity ("
              + nodeValidity
              + "), got "
              + renewBefore);
    }
  }
}
