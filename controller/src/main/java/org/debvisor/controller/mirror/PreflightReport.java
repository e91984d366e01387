package org.debvisor.controller.mirror;

import java.util.List;

/**
 * What the mirror preflight found.
 *
 * @param installerVersion the installer build checked
 * @param kernelAbi its kernel ABI
 * @param checked how many components were looked up on the mirror
 * @param missing every component the install needs that the mirror does not serve
 */
public record PreflightReport(
    String installerVersion, String kernelAbi, int checked, List<Missing> missing) {

  /**
   * One missing component.
   *
   * @param name the udeb
   * @param url where it should be (empty when the index does not list it at all)
   * @param reason {@code HTTP 404}, or {@code not in the index (needed by X)}
   */
  public record Missing(String name, String url, String reason) {}

  public PreflightReport {
    missing = List.copyOf(missing);
  }

  public boolean ok() {
    return missing.isEmpty();
  }
}
