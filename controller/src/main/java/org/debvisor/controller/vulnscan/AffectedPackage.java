package org.debvisor.controller.vulnscan;

import java.util.List;
import java.util.Optional;

/**
 * An OSV {@code affected} entry: the package (as a package URL without version), the distribution
 * release its ecosystem names ({@code debian-13} for "Debian:13", empty when it names none) and the
 * versions it lists explicitly or through ECOSYSTEM ranges.
 */
public record AffectedPackage(
    PackageUrl purl,
    String distro,
    List<String> versions,
    List<AffectedRange> ranges,
    Optional<Severity> severity) {

  public AffectedPackage {
    versions = List.copyOf(versions);
    ranges = List.copyOf(ranges);
  }
}
