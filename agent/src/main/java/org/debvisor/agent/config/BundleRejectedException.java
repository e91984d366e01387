package org.debvisor.agent.config;

import java.util.List;
import java.util.stream.Collectors;
import org.debvisor.common.violation.Violation;

/** A bundle broke one or more rules; nothing on disk was changed. */
public final class BundleRejectedException extends Exception {

  private final List<Violation> violations;

  public BundleRejectedException(List<Violation> violations) {
    super(
        violations.stream().map(Violation::toString).collect(Collectors.joining("; ")),
        null,
        false,
        false);
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a rejection needs at least one violation");
    }
    this.violations = List.copyOf(violations);
  }

  /** Every violation found, in field order. */
  public List<Violation> violations() {
    return violations;
  }
}
