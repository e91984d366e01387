package org.debvisor.controller.preseed;

import java.util.ArrayList;
import java.util.List;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.NodeValidator;
import org.debvisor.controller.node.Partition;
import org.debvisor.controller.node.Size;

/**
 * Turns expert partitions into partman's {@code expert_recipe} syntax: one item per partition,
 * {@code MIN PRIORITY MAX FILESYSTEM options .}, after the boot partitions the architecture needs.
 */
final class ExpertRecipe {

  /** Recipe name shown by partman. */
  static final String NAME = "debvisor";

  // Grow weight of an unbounded partition: large enough to take the rest of the disk after the
  // bounded partitions reached their maximum, like partman's own recipes do.
  private static final long UNLIMITED_PRIORITY = 1_000_000L;

  private ExpertRecipe() {}

  /** The recipe items, without the {@code NAME ::} head; each ends with {@code .}. */
  public static List<String> items(List<Partition> partitions, Architecture arch) {
    List<String> items = new ArrayList<>();
    if (arch.hasBios()) {
      // GPT needs a BIOS boot partition for GRUB when the machine boots without UEFI.
      items.add(
          NodeValidator.BIOS_BOOT_MB
              + " "
              + NodeValidator.BIOS_BOOT_MB
              + " "
              + NodeValidator.BIOS_BOOT_MB
              + " free $iflabel{ gpt } $reusemethod{ } method{ biosgrub } .");
    }
    items.add(
        NodeValidator.ESP_MB
            + " "
            + NodeValidator.ESP_MB
            + " 1075 free $iflabel{ gpt } $reusemethod{ } method{ efi } format{ } .");
    for (Partition p : partitions) {
      long min = Size.parse(p.min()).orElseThrow().megabytes();
      Size max = Size.parseMax(p.max()).orElseThrow();
      long priority = max.isUnlimited() ? Math.max(min, UNLIMITED_PRIORITY) : max.megabytes();
      String sizes = min + " " + priority + " " + max.megabytes();
      if (p.filesystem().equals("swap")) {
        items.add(sizes + " linux-swap method{ swap } format{ } .");
      } else {
        items.add(
            sizes
                + " "
                + p.filesystem()
                + " method{ format } format{ } use_filesystem{ } filesystem{ "
                + p.filesystem()
                + " } mountpoint{ "
                + p.mountpoint()
                + " } .");
      }
    }
    return List.copyOf(items);
  }
}
