package org.debvisor.controller.install;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.Disk;
import org.debvisor.controller.node.Partition;
import org.debvisor.controller.node.Size;

/**
 * The GPT layout of an image install, from node.yaml's {@code disk} section: a BIOS boot partition
 * (amd64), an EFI system partition, then the recipe's partitions or LVM volumes. Sizes are fixed
 * here so the installer only has to write them.
 *
 * @param partitions GPT partitions in disk order
 * @param volumeGroup the LVM volume group name, or empty without LVM
 * @param logicalVolumes LVM logical volumes in creation order
 * @param minimumBytes the smallest disk this layout fits on
 */
record PartitionPlan(
    List<PlannedVolume> partitions,
    String volumeGroup,
    List<PlannedVolume> logicalVolumes,
    long minimumBytes) {

  /** Smallest root filesystem an image fits in, with room for logs and packages. */
  static final long ROOT_MIN_MIB = 4096;

  static final long ESP_MIB = 512;
  static final long SWAP_MIB = 1024;
  static final long BOOT_MIB = 1024;
  static final String VOLUME_GROUP = "debvisor";
  private static final long MIB = 1024 * 1024;

  public PartitionPlan {
    partitions = List.copyOf(partitions);
    logicalVolumes = List.copyOf(logicalVolumes);
  }

  /**
   * Plans {@code disk} for {@code arch}; problems (what the image installer cannot make) are added
   * to {@code problems} and the plan is then incomplete.
   */
  public static PartitionPlan of(Disk disk, Architecture arch, List<Violation> problems) {
    List<PlannedVolume> parts = new ArrayList<>();
    if (arch == Architecture.AMD64) {
      parts.add(new PlannedVolume("bios", 1, "none", "-"));
    }
    parts.add(new PlannedVolume("esp", ESP_MIB, "vfat", "/boot/efi"));
    List<PlannedVolume> volumes = new ArrayList<>();
    String group = "";
    long rootMin = ROOT_MIN_MIB;
    switch (disk.recipe()) {
      case "lvm" -> {
        group = VOLUME_GROUP;
        parts.add(new PlannedVolume("boot", BOOT_MIB, "ext4", "/boot"));
        parts.add(new PlannedVolume("pv", PlannedVolume.REST, "lvm", "-"));
        volumes.add(new PlannedVolume("swap", SWAP_MIB, "swap", "-"));
        volumes.add(new PlannedVolume("root", PlannedVolume.REST, "ext4", "/"));
      }
      case "expert" -> rootMin = expert(disk.partitions(), parts, problems);
      default -> {
        parts.add(new PlannedVolume("swap", SWAP_MIB, "swap", "-"));
        parts.add(new PlannedVolume("root", PlannedVolume.REST, "ext4", "/"));
      }
    }
    long fixed = 1; // GPT headers and alignment
    for (PlannedVolume v : parts) {
      fixed += Math.max(v.mebibytes(), 0);
    }
    for (PlannedVolume v : volumes) {
      fixed += Math.max(v.mebibytes(), 0);
    }
    return new PartitionPlan(parts, group, volumes, (fixed + rootMin + 1) * MIB);
  }

  /** Adds the expert recipe's partitions; returns the minimum of the one that takes the rest. */
  private static long expert(
      List<Partition> wanted, List<PlannedVolume> parts, List<Violation> problems) {
    long restMin = 0;
    for (int i = 0; i < wanted.size(); i++) {
      Partition p = wanted.get(i);
      String field = "disk.partitions[" + i + "]";
      String fs = p.filesystem() == null ? "" : p.filesystem();
      if (!fs.equals("ext4") && !fs.equals("swap")) {
        problems.add(
            new Violation(
                field + ".filesystem",
                "the image installer makes ext4 and swap only, not "
                    + fs
                    + "; use ext4 or install this node with --mode preseed"));
        continue;
      }
      long minMib = Size.parse(p.min()).map(s -> mebibytes(s.megabytes())).orElse(0L);
      boolean last = i == wanted.size() - 1;
      boolean grows =
          Size.parseMax(p.max()).map(s -> s.megabytes() * 1_000_000L > minMib * MIB).orElse(false);
      String mount = fs.equals("swap") ? "-" : p.mountpoint();
      String name = fs.equals("swap") ? "swap" + i : partitionName(mount);
      if (last && grows) {
        parts.add(new PlannedVolume(name, PlannedVolume.REST, fs, mount));
        restMin = minMib;
      } else {
        parts.add(new PlannedVolume(name, minMib, fs, mount));
      }
    }
    return restMin;
  }

  /** Decimal megabytes (partman's unit) rounded up to MiB. */
  static long mebibytes(long megabytes) {
    return (megabytes * 1_000_000L + MIB - 1) / MIB;
  }

  /** A GPT partition name from a mount point: {@code /} → root, {@code /var/lib} → var-lib. */
  static String partitionName(String mountpoint) {
    if (mountpoint == null || mountpoint.equals("/")) {
      return "root";
    }
    return mountpoint.substring(1).replace('/', '-').toLowerCase(Locale.ROOT);
  }
}
