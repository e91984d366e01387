package org.debvisor.controller.image;

import java.util.List;

/** File names of the image output directory (the contract with the image-mode ISO). */
public final class ImageOutput {

  public static final String ROOTFS = "rootfs.tar.zst";
  public static final String KERNEL = "vmlinuz";
  public static final String INSTALLER_INITRD = "installer.img";
  public static final String MANIFEST = "manifest.tsv";
  public static final String DESCRIPTOR = "image.json";
  public static final String CHECKSUMS = "SHA256SUMS";

  /** The files listed in image.json's {@code files} (image.json cannot list itself). */
  public static final List<String> DESCRIBED_FILES =
      List.of(ROOTFS, KERNEL, INSTALLER_INITRD, MANIFEST);

  /** The files SHA256SUMS covers, in its order. */
  public static final List<String> SUMMED_FILES =
      List.of(ROOTFS, KERNEL, INSTALLER_INITRD, MANIFEST, DESCRIPTOR);

  private ImageOutput() {}
}
