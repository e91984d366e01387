package org.debvisor.controller.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.Disk;
import org.debvisor.controller.node.Partition;
import org.junit.jupiter.api.Test;

class PartitionPlanTest {

  private static final long MIB = 1024 * 1024;

  @Test
  void atomicOnAmd64HasBiosBootEspSwapAndRootTakingTheRest() {
    List<Violation> problems = new ArrayList<>();
    PartitionPlan plan =
        PartitionPlan.of(new Disk("/dev/vda", null, null, null), Architecture.AMD64, problems);

    assertThat(problems).isEmpty();
    assertThat(plan.partitions())
        .containsExactly(
            new PlannedVolume("bios", 1, "none", "-"),
            new PlannedVolume("esp", 512, "vfat", "/boot/efi"),
            new PlannedVolume("swap", 1024, "swap", "-"),
            new PlannedVolume("root", PlannedVolume.REST, "ext4", "/"));
    assertThat(plan.volumeGroup()).isEmpty();
    assertThat(plan.minimumBytes()).isEqualTo((1 + 1 + 512 + 1024 + 4096 + 1) * MIB);
  }

  @Test
  void arm64HasNoBiosBootPartition() {
    PartitionPlan plan =
        PartitionPlan.of(
            new Disk("/dev/vda", "atomic", null, null), Architecture.ARM64, new ArrayList<>());

    assertThat(plan.partitions())
        .extracting(PlannedVolume::name)
        .containsExactly("esp", "swap", "root");
  }

  @Test
  void lvmPutsSwapAndRootIntoTheVolumeGroup() {
    PartitionPlan plan =
        PartitionPlan.of(
            new Disk("/dev/sda", "lvm", null, null), Architecture.AMD64, new ArrayList<>());

    assertThat(plan.partitions())
        .extracting(PlannedVolume::answerFields)
        .containsExactly(
            "bios 1MiB none -",
            "esp 512MiB vfat /boot/efi",
            "boot 1024MiB ext4 /boot",
            "pv rest lvm -");
    assertThat(plan.volumeGroup()).isEqualTo("debvisor");
    assertThat(plan.logicalVolumes())
        .extracting(PlannedVolume::answerFields)
        .containsExactly("swap 1024MiB swap -", "root rest ext4 /");
  }

  @Test
  void expertUsesMinimumSizesAndTheLastGrowingPartitionTakesTheRest() {
    List<Partition> parts =
        List.of(
            new Partition("/", "ext4", "10G", "30G"),
            new Partition(null, "swap", "1G", "4G"),
            new Partition("/var/lib", "ext4", "5G", "unlimited"));
    List<Violation> problems = new ArrayList<>();
    PartitionPlan plan =
        PartitionPlan.of(new Disk("/dev/sda", "expert", null, parts), Architecture.AMD64, problems);

    assertThat(problems).isEmpty();
    assertThat(plan.partitions())
        .extracting(PlannedVolume::answerFields)
        .containsExactly(
            "bios 1MiB none -",
            "esp 512MiB vfat /boot/efi",
            "root 9537MiB ext4 /",
            "swap1 954MiB swap -",
            "var-lib rest ext4 /var/lib");
    assertThat(plan.minimumBytes()).isEqualTo((1 + 1 + 512 + 9537 + 954 + 4769 + 1) * MIB);
  }

  @Test
  void expertFilesystemsTheImageInstallerCannotMakeAreNamed() {
    List<Partition> parts =
        List.of(
            new Partition("/", "ext4", "10G", "30G"),
            new Partition("/srv", "xfs", "5G", "unlimited"));
    List<Violation> problems = new ArrayList<>();
    PartitionPlan.of(new Disk("/dev/sda", "expert", null, parts), Architecture.AMD64, problems);

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("disk.partitions[1].filesystem");
              assertThat(p.rule()).contains("ext4 and swap only, not xfs", "--mode preseed");
            });
  }
}
