package org.debvisor.controller.node;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code disk} section of a node: target, size, recipe and partitions, part of {@link
 * NodeValidator}.
 */
final class DiskChecks {

  private DiskChecks() {}

  static void check(FieldChecks checks, Disk disk) {
    if (!checks.present("disk", disk)) {
      return;
    }
    if (checks.present("disk.target", disk.target())
        && checks.text("disk.target", disk.target(), ValueRules.DISK, ValueRules.DISK_RULE)
        && ValueRules.BY_ID_PARTITION.matcher(disk.target()).matches()) {
      checks.add("disk.target", "names a partition (-partN); give the whole disk");
    }
    Optional<Size> diskSize = Optional.empty();
    if (disk.size() != null && checks.safeCharacters("disk.size", disk.size())) {
      diskSize = Size.parse(disk.size());
      if (diskSize.isEmpty()) {
        checks.add("disk.size", "must be a size like 512M, 100G or 2T (partman's decimal units)");
      }
    }
    if (!checks.text(
        "disk.recipe", disk.recipe(), ValueRules.RECIPE, "must be atomic, lvm or expert")) {
      return;
    }
    if (!disk.recipe().equals("expert")) {
      checks.absent("disk.partitions", disk.partitions(), "unless disk.recipe is expert");
      return;
    }
    List<Partition> parts = disk.partitions();
    if (parts.isEmpty()) {
      checks.add("disk.partitions", "must list the partitions when disk.recipe is expert");
      return;
    }
    Set<String> mountpoints = new HashSet<>();
    long minimumTotal = NodeValidator.ESP_MB + NodeValidator.BIOS_BOOT_MB;
    for (int i = 0; i < parts.size(); i++) {
      String field = "disk.partitions[" + i + "]";
      Partition part = parts.get(i);
      if (!checks.present(field, part)) {
        continue;
      }
      boolean fsOk =
          checks.present(field + ".filesystem", part.filesystem())
              && checks.text(
                  field + ".filesystem",
                  part.filesystem(),
                  ValueRules.FILESYSTEM,
                  "must be ext4, xfs, btrfs or swap");
      if (fsOk && part.filesystem().equals("swap")) {
        checks.absent(field + ".mountpoint", part.mountpoint(), "for swap");
      } else if (fsOk
          && checks.present(field + ".mountpoint", part.mountpoint())
          && checks.text(
              field + ".mountpoint",
              part.mountpoint(),
              ValueRules.MOUNTPOINT,
              ValueRules.MOUNTPOINT_RULE)) {
        if (ValueRules.RESERVED_MOUNTPOINTS.contains(part.mountpoint())) {
          checks.add(
              field + ".mountpoint",
              part.mountpoint() + " is reserved (the generator adds the EFI partition itself)");
        } else if (!mountpoints.add(part.mountpoint())) {
          checks.add(field + ".mountpoint", part.mountpoint() + " is used by an earlier partition");
        }
      }
      Optional<Size> min = Optional.empty();
      if (checks.present(field + ".min", part.min())
          && checks.safeCharacters(field + ".min", part.min())) {
        min = Size.parse(part.min());
        if (min.isEmpty()) {
          checks.add(field + ".min", "must be a size like 512M, 20G or 1T");
        }
      }
      Optional<Size> max = Optional.empty();
      if (checks.present(field + ".max", part.max())
          && checks.safeCharacters(field + ".max", part.max())) {
        max = Size.parseMax(part.max());
        if (max.isEmpty()) {
          checks.add(field + ".max", "must be a size like 512M, 20G or 1T, or unlimited");
        }
      }
      if (min.isPresent() && max.isPresent() && min.get().megabytes() > max.get().megabytes()) {
        checks.add(field + ".max", "must not be smaller than min (" + part.min() + ")");
      }
      minimumTotal += min.map(Size::megabytes).orElse(0L);
    }
    if (!mountpoints.contains("/")) {
      checks.add("disk.partitions", "must include a partition mounted at /");
    }
    if (diskSize.isPresent() && minimumTotal > diskSize.get().megabytes()) {
      checks.add(
          "disk.partitions",
          "minimum sizes add up to "
              + minimumTotal
              + "M (with "
              + (NodeValidator.ESP_MB + NodeValidator.BIOS_BOOT_MB)
              + "M for the boot partitions), more than disk.size "
              + disk.size());
    }
  }
}
