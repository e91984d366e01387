package org.debvisor.controller.iso;

import java.nio.file.Path;
import org.debvisor.controller.install.ImageInstall;
import org.debvisor.controller.node.Architecture;

/**
 * What to build.
 *
 * @param arch target architecture
 * @param profile role profile name (for menus and names)
 * @param hostname the node's host name (for the ISO file name)
 * @param preseed the rendered preseed
 * @param installerVersion installer build, like {@code 20250803+deb13u6}
 * @param agentDeb the agent package to put under {@code /debvisor/}, or null
 * @param outDir where the ISO, SHA256SUMS and metrics go
 * @param sourceDateEpoch the timestamp of every file and of the volume
 * @param image image mode: the image and the node's answer; null for a preseed (d-i) install
 * @param controllerCa preseed mode: the controller's CA certificate to put under {@code /debvisor/}
 *     for the late command to install, or null
 */
public record IsoBuildRequest(
    Architecture arch,
    String profile,
    String hostname,
    String preseed,
    String installerVersion,
    Path agentDeb,
    Path outDir,
    long sourceDateEpoch,
    ImageInstall image,
    Path controllerCa) {

  /** Without a controller CA on the media. */
  public IsoBuildRequest(
      Architecture arch,
      String profile,
      String hostname,
      String preseed,
      String installerVersion,
      Path agentDeb,
      Path outDir,
      long sourceDateEpoch,
      ImageInstall image) {
    this(
        arch,
        profile,
        hostname,
        preseed,
        installerVersion,
        agentDeb,
        outDir,
        sourceDateEpoch,
        image,
        null);
  }

  /** A preseed (debian-installer) install. */
  public IsoBuildRequest(
      Architecture arch,
      String profile,
      String hostname,
      String preseed,
      String installerVersion,
      Path agentDeb,
      Path outDir,
      long sourceDateEpoch) {
    this(
        arch,
        profile,
        hostname,
        preseed,
        installerVersion,
        agentDeb,
        outDir,
        sourceDateEpoch,
        null);
  }

  /** Whether the media install an image instead of running debian-installer. */
  public boolean imageMode() {
    return image != null;
  }

  /** 2026-01-01T00:00:00Z, the project's fixed build timestamp. */
  public static final long DEFAULT_EPOCH = 1767225600L;

  /** {@code debvisor-HOST-ARCH.iso}. */
  public String isoName() {
    return isoName(hostname, arch);
  }

  /** The file name of the ISO for a node's host name and architecture. */
  public static String isoName(String hostname, Architecture arch) {
    return "debvisor-" + hostname + "-" + arch.debianName() + ".iso";
  }

  /** The ISO 9660 volume id: fixed per architecture. */
  public String volumeId() {
    return "DEBVISOR_13_" + arch.debianName().toUpperCase(java.util.Locale.ROOT);
  }
}
