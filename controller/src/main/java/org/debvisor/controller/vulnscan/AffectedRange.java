package org.debvisor.controller.vulnscan;

/**
 * One OSV range segment: versions from {@code introduced} (inclusive; "0" is the first) up to
 * {@code fixed} (exclusive) or {@code lastAffected} (inclusive); with neither, every later version.
 */
public record AffectedRange(String introduced, String fixed, String lastAffected) {}
