package org.debvisor.controller.cli.output;

import java.io.PrintWriter;
import java.net.URI;
import org.debvisor.controller.mirror.PreflightReport;

/**
 * Prints a mirror preflight report the same way for {@code iso preflight} and {@code iso build}.
 */
public final class PreflightOutput {

  private PreflightOutput() {}

  public static void print(PreflightReport report, URI mirror, String prefix, PrintWriter out) {
    out.printf(
        "%sinstaller %s (kernel %s): %d components checked on %s, %d missing%n",
        prefix,
        report.installerVersion(),
        report.kernelAbi(),
        report.checked(),
        mirror,
        report.missing().size());
    for (PreflightReport.Missing m : report.missing()) {
      out.printf(
          "%sMISSING %s: %s%s%n",
          prefix, m.name(), m.reason(), m.url().isEmpty() ? "" : " " + m.url());
    }
    out.flush();
  }
}
