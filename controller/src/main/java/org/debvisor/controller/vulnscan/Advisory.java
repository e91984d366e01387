package org.debvisor.controller.vulnscan;

import java.util.List;

/** One OSV record: its id (e.g. GHSA-…, CVE-…), summary, severity and affected packages. */
public record Advisory(
    String id, String summary, Severity severity, List<AffectedPackage> affected) {

  public Advisory {
    affected = List.copyOf(affected);
  }
}
