package org.debvisor.controller.preseed;

import java.util.List;

/**
 * The verdict on a preseed file.
 *
 * @param findings every error and warning, ordered by line
 * @param answers how many answers the file holds
 */
public record PreseedReport(List<Finding> findings, int answers) {

  public PreseedReport {
    findings = List.copyOf(findings);
  }

  public List<Finding> errors() {
    return of(Severity.ERROR);
  }

  public List<Finding> warnings() {
    return of(Severity.WARNING);
  }

  /** No errors (warnings allowed). */
  public boolean valid() {
    return errors().isEmpty();
  }

  private List<Finding> of(Severity severity) {
    return findings.stream().filter(f -> f.severity() == severity).toList();
  }
}
