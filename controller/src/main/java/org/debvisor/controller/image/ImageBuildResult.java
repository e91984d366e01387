package org.debvisor.controller.image;

import java.nio.file.Path;

/**
 * A finished image.
 *
 * @param outDir the output directory
 * @param descriptor its image.json
 * @param rootfsBytes size of rootfs.tar.zst
 */
public record ImageBuildResult(Path outDir, ImageDescriptor descriptor, long rootfsBytes) {

  /** sha256 of rootfs.tar.zst. */
  public String rootfsSha256() {
    return descriptor.files().get(ImageOutput.ROOTFS);
  }
}
