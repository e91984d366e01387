package org.debvisor.agent.config;

import java.util.List;
import java.util.stream.Collectors;

/** A bundle broke one or more rules; nothing on disk was changed. */
public final class BundleRejectedException extends Exception {

  private final List<FieldViolation> violations;

  public BundleRejectedException(List<FieldViolation> violations) {
    super(
        violations.stream().map(FieldViolation::toString).collect(Collectors.joining("; ")),
        null,
        false,
        false);
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a rejection needs at least one violation");
    }
    this.violations = List.copyOf(violations);
  }

  /** Every violation found, in field order. */
  public List<FieldViolation> violations() {
    return violations;
  }
}
