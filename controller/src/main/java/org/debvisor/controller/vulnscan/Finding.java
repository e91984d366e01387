package org.debvisor.controller.vulnscan;

/**
 * A component that an advisory names in an affected version; {@code matched} is the package URL the
 * advisory named: the component's own or its source package's.
 */
public record Finding(
    SbomComponent component, Advisory advisory, Severity severity, PackageUrl matched) {

  /** Whether the advisory named the component's source package rather than the component. */
  public boolean viaSource() {
    return !matched.equals(component.purl());
  }
}
