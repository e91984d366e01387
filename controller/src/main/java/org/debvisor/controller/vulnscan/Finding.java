package org.debvisor.controller.vulnscan;

/** A component that an advisory names in an affected version. */
public record Finding(SbomComponent component, Advisory advisory, Severity severity) {}
