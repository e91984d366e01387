package org.debvisor.controller.iso;

import java.nio.file.Path;
import org.debvisor.controller.mirror.NetbootInstaller;

/**
 * A built ISO.
 *
 * @param iso the image
 * @param sha256 its checksum (also in {@code SHA256SUMS} beside it)
 * @param installer the installer build it carries
 * @param seconds how long the build took
 */
public record IsoBuildResult(Path iso, String sha256, NetbootInstaller installer, double seconds) {}
