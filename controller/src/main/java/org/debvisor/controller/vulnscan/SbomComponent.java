package org.debvisor.controller.vulnscan;

/** One component of an SBOM: its package URL and the SBOM file it came from. */
public record SbomComponent(PackageUrl purl, String sbom) {}
