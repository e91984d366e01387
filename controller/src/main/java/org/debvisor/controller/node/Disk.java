package org.debvisor.controller.node;

import java.util.List;

/**
 * Where and how the node is installed.
 *
 * @param target whole disk: {@code /dev/sda}, {@code /dev/vda}, {@code /dev/nvme0n1}, {@code
 *     /dev/mmcblk0} or {@code /dev/disk/by-id/...}
 * @param recipe {@code atomic} (default: one root filesystem and swap), {@code lvm} (the same on
 *     LVM) or {@code expert} (the partitions below)
 * @param size optional disk size (e.g. {@code 100G}); when given, the partitions' minimum sizes
 *     must fit in it
 * @param partitions the expert recipe's partitions in disk order (only with {@code expert}); the
 *     EFI system partition (and on amd64 the BIOS boot partition) is added by the generator
 */
public record Disk(String target, String recipe, String size, List<Partition> partitions) {
  public Disk {
    recipe = recipe == null ? "atomic" : recipe;
    partitions = NullableLists.copy(partitions);
  }
}
