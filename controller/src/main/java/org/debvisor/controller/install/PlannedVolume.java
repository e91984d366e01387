package org.debvisor.controller.install;

/**
 * One partition or LVM logical volume the image installer creates.
 *
 * @param name GPT partition name or LV name ({@code bios}, {@code esp}, {@code root}, ...)
 * @param mebibytes size in MiB, or {@link #REST} for the rest of the disk or volume group
 * @param filesystem {@code ext4}, {@code vfat}, {@code swap}, {@code lvm} (a physical volume) or
 *     {@code none}
 * @param mountpoint absolute mount point, or {@code -} for none
 */
record PlannedVolume(String name, long mebibytes, String filesystem, String mountpoint) {

  /** Size marker: everything that is left. */
  public static final long REST = -1;

  /** The volume as the installer reads it: {@code NAME SIZE FS MOUNTPOINT}. */
  String answerFields() {
    String size = mebibytes == REST ? "rest" : mebibytes + "MiB";
    return name + " " + size + " " + filesystem + " " + mountpoint;
  }
}
