/**
 * Offline vulnerability scan: the components of CycloneDX SBOMs (by package URL and version)
 * against an OSV feed read from disk, for release machines that reach no vulnerability database.
 */
package org.debvisor.controller.vulnscan;
