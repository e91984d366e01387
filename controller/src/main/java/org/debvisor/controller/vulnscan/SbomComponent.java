package org.debvisor.controller.vulnscan;

import java.util.Optional;

/**
 * One component of an SBOM: its package URL, the SBOM file it came from and, for a Debian binary
 * package, the source package it was built from (name and version), which Debian's advisories name
 * instead of the binary (e.g. libssl3t64 from openssl).
 */
public record SbomComponent(PackageUrl purl, String sbom, Optional<PackageUrl> source) {

  public SbomComponent(PackageUrl purl, String sbom) {
    this(purl, sbom, Optional.empty());
  }
}
