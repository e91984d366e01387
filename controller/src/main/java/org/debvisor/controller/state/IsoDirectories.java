package org.debvisor.controller.state;

/**
 * Where a controller keeps the ISOs its API builds, inside its state directory unless told
 * otherwise. Both can be made again from node.yaml files and the mirror, and the ISOs carry
 * bootstrap tokens, so backups leave them out.
 */
public final class IsoDirectories {

  /** The ISO library: built ISOs, their SHA256SUMS and metrics. */
  public static final String LIBRARY = "isos";

  /** The ISO builds' download cache: installers, indexes, derived files. */
  public static final String CACHE = "iso-cache";

  private IsoDirectories() {}
}
