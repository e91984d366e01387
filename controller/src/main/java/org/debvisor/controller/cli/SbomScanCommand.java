package org.debvisor.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.debvisor.controller.vulnscan.Advisory;
import org.debvisor.controller.vulnscan.CycloneDxSbom;
import org.debvisor.controller.vulnscan.Finding;
import org.debvisor.controller.vulnscan.OsvFeed;
import org.debvisor.controller.vulnscan.SbomComponent;
import org.debvisor.controller.vulnscan.ScanException;
import org.debvisor.controller.vulnscan.Severity;
import org.debvisor.controller.vulnscan.VulnerabilityScanner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code debvisor sbom scan}: SBOM components against an OSV feed on disk, offline. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Match the components of CycloneDX JSON SBOMs (package URL and version) against OSV "
          + "advisories read from a file or directory (e.g. OSV's Maven and Debian all.zip, unpacked).",
      "Prints one line per finding; fails when one is at --fail-on or worse."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no finding at --fail-on or worse",
      "1:findings at --fail-on or worse (listed)",
      "2:invalid arguments, or an SBOM or feed that cannot be read"
    })
final class SbomScanCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--feed",
      required = true,
      paramLabel = "PATH",
      description = "OSV JSON file, or a directory searched for *.json files.")
  Path feed;

  @Option(
      names = "--fail-on",
      paramLabel = "SEVERITY",
      defaultValue = "CRITICAL",
      description =
          "Lowest severity that fails the scan: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Severity failOn;

  @Parameters(arity = "1..*", paramLabel = "SBOM", description = "CycloneDX JSON SBOM files.")
  List<Path> sboms = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ObjectMapper json = new ObjectMapper();
    List<Advisory> advisories;
    List<SbomComponent> components = new ArrayList<>();
    try {
      advisories = new OsvFeed(json).load(feed);
      CycloneDxSbom reader = new CycloneDxSbom(json);
      for (Path sbom : sboms) {
        components.addAll(reader.components(sbom));
      }
    } catch (ScanException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    }
    List<Finding> findings = new VulnerabilityScanner(advisories).scan(components);
    long failing = 0;
    for (Finding f : findings) {
      boolean fails = f.severity().compareTo(failOn) >= 0;
      failing += fails ? 1 : 0;
      out.printf(
          "%-8s %s %s@%s%s (%s)%s%n",
          f.severity(),
          f.advisory().id(),
          coordinates(f),
          f.component().purl().version(),
          f.viaSource() ? " via source " + f.matched().name() + "@" + f.matched().version() : "",
          f.component().sbom(),
          f.advisory().summary().isEmpty() ? "" : ": " + f.advisory().summary());
    }
    out.printf(
        "scanned %d components of %d SBOMs against %d advisories: %d findings, %d at %s or worse%n",
        components.size(), sboms.size(), advisories.size(), findings.size(), failing, failOn);
    if (failing > 0) {
      err.println(
          "error: "
              + failing
              + " findings at "
              + failOn
              + " or worse; upgrade the named components (or, after review, lower the"
              + " severity with --fail-on)");
      return DebvisorCli.EXIT_FAILURE;
    }
    return 0;
  }

  private static String coordinates(Finding f) {
    var purl = f.component().purl();
    return "pkg:"
        + purl.type()
        + "/"
        + (purl.namespace().isEmpty() ? "" : purl.namespace() + "/")
        + purl.name();
  }
}
