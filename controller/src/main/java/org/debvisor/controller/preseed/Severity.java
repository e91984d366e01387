package org.debvisor.controller.preseed;

import java.util.Locale;

/** How bad a finding is: errors make the file invalid, warnings are printed and pass. */
public enum Severity {
  ERROR,
  WARNING;

  /** {@code error} or {@code warning}, as printed. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
