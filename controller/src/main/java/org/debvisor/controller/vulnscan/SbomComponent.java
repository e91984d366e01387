package org.debvisor.controller.vulnscan;

import java.util.Optional;

/**
 * One component of an SBOM: its package URL, the SBOM file it came from, its package URL's {@code
 * distro} qualifier (e.g. {@code debian-13}, empty when it has none) and, for a Debian binary
 * package, the source package it was built from (name and version), which Debian's advisories name
 * instead of the binary (e.g. libssl3t64 from openssl).
 */
public record SbomComponent(
    PackageUrl purl, String sbom, String distro, Optional<PackageUrl> source) {}
