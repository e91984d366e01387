package org.debvisor.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.debvisor.proto.CpuFacts;
import org.debvisor.proto.DiskFacts;
import org.debvisor.proto.DmiFacts;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.NicFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardwareFactsReaderTest {

  @TempDir Path dir;

  private HardwareFacts read(String fixture, String arch) throws Exception {
    return new HardwareFactsReader(FixtureTree.materialise(fixture, dir), arch).read();
  }

  @Test
  void twoSocketServerWithNvmeAndSata() throws Exception {
    HardwareFacts facts = read("server-2s", "amd64");

    assertThat(facts.getArch()).isEqualTo("amd64");
    assertThat(facts.getOs()).isEqualTo("Debian GNU/Linux 13 (trixie)");
    assertThat(facts.getKernelVersion()).isEqualTo("6.12.48+deb13-amd64");
    assertThat(facts.getMemoryBytes()).isEqualTo(263840256L * 1024);
    assertThat(facts.getCpu())
        .isEqualTo(
            CpuFacts.newBuilder()
                .setModel("Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz")
                .setSockets(2)
                .setCores(4)
                .setThreads(8)
                .setVirtualization("vmx")
                .setMhzMax(3200)
                .build());
    assertThat(facts.getDisksList())
        .containsExactly(
            DiskFacts.newBuilder()
                .setName("nvme0n1")
                .setSizeBytes(3750748848L * 512)
                .setModel("SAMSUNG MZQL21T9HCJR-00A07")
                .setSerial("S64GNE0R123456")
                .setRotational(false)
                .setByIdPath("/dev/disk/by-id/nvme-SAMSUNG_MZQL21T9HCJR-00A07_S64GNE0R123456")
                .setTransport("nvme")
                .build(),
            DiskFacts.newBuilder()
                .setName("sda")
                .setSizeBytes(15628053168L * 512)
                .setModel("ST8000NM000A-2KE")
                .setSerial("t10.ATA     ST8000NM000A-2KE101                     ZA1ABCDE")
                .setRotational(true)
                .setByIdPath("/dev/disk/by-id/ata-ST8000NM000A-2KE101_ZA1ABCDE")
                .setTransport("sata")
                .build());
    assertThat(facts.getNicsList())
        .containsExactly(
            NicFacts.newBuilder()
                .setName("eno1")
                .setMac("3c:ec:ef:10:20:30")
                .setSpeedMbps(10000)
                .setLinkUp(true)
                .setDriver("ice")
                .setMtu(9000)
                .build(),
            NicFacts.newBuilder()
                .setName("eno2")
                .setMac("3c:ec:ef:10:20:31")
                .setSpeedMbps(0)
                .setLinkUp(false)
                .setDriver("ice")
                .setMtu(1500)
                .build());
    assertThat(facts.getDmi())
        .isEqualTo(
            DmiFacts.newBuilder()
                .setSystemVendor("Supermicro")
                .setSystemProduct("SYS-120U-TNR")
                .setSystemSerial("S123456X7")
                .setSystemUuid("00000000-0000-0000-0000-3cecef102030")
                .setBoardVendor("Supermicro")
                .setBoardName("X12DPU-6")
                .setBoardSerial("OM12345678")
                .setBiosVendor("American Megatrends International, LLC.")
                .setBiosVersion("1.4")
                .setBiosDate("09/15/2022")
                .setChassisType("17")
                .build());
    assertThat(facts.getFingerprint()).matches("[0-9a-f]{64}");
  }

  @Test
  void arm64BoardWithoutDmi() throws Exception {
    HardwareFacts facts = read("arm64-board", "arm64");

    assertThat(facts.getOs())
        .as("from usr/lib/os-release")
        .isEqualTo("Debian GNU/Linux 13 (trixie)");
    assertThat(facts.getCpu())
        .isEqualTo(
            CpuFacts.newBuilder()
                .setModel("ARM Cortex-A72")
                .setSockets(1)
                .setCores(4)
                .setThreads(4)
                .setVirtualization("el2")
                .setMhzMax(1800)
                .build());
    assertThat(facts.getMemoryBytes()).isEqualTo(7999784L * 1024);
    assertThat(facts.getDisksList())
        .extracting(
            DiskFacts::getName,
            DiskFacts::getTransport,
            DiskFacts::getRemovable,
            DiskFacts::getByIdPath)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "mmcblk0", "mmc", false, "/dev/disk/by-id/mmc-SC64G_0x1234abcd"),
            org.assertj.core.groups.Tuple.tuple(
                "sda", "usb", true, "/dev/disk/by-id/usb-SanDisk_Extreme_55AE_3230-0:0"));
    assertThat(facts.getDisks(0).getSerial()).isEqualTo("0x1234abcd");
    assertThat(facts.getNicsList())
        .extracting(
            NicFacts::getName, NicFacts::getLinkUp, NicFacts::getSpeedMbps, NicFacts::getDriver)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("eth0", true, 1000, "bcmgenet"),
            org.assertj.core.groups.Tuple.tuple("wlan0", false, 0, "brcmfmac"));
    assertThat(facts.getDmi()).isEqualTo(DmiFacts.getDefaultInstance());
  }

  @Test
  void aNodeWithOnlyVirtualInterfacesReportsThem() throws Exception {
    Path root = FixtureTree.materialise("server-2s", dir);
    Files.delete(root.resolve("sys/devices/pci0000:00/0000:00:1f.6/net/eno1/device"));
    Files.delete(root.resolve("sys/devices/pci0000:00/0000:00:1f.6/net/eno2/device"));

    HardwareFacts facts = new HardwareFactsReader(root, "amd64").read();

    assertThat(facts.getNicsList())
        .extracting(NicFacts::getName)
        .containsExactly("eno1", "eno2", "veth0a1b");
  }

  @Test
  void withoutKvmAnArm64BoardReportsNoVirtualisation() throws Exception {
    Path root = FixtureTree.materialise("arm64-board", dir);
    Files.delete(root.resolve("dev/kvm"));

    assertThat(new HardwareFactsReader(root, "arm64").read().getCpu().getVirtualization())
        .isEmpty();
  }

  @Test
  void unreadableAndMissingFilesGiveEmptyFieldsNotExceptions() throws Exception {
    Path root = FixtureTree.materialise("server-2s", dir);
    Path dmi = root.resolve("sys/devices/virtual/dmi/id");
    // A directory where a file should be cannot be read, whatever the user's privileges.
    Files.delete(dmi.resolve("product_serial"));
    Files.createDirectory(dmi.resolve("product_serial"));
    Files.writeString(root.resolve("proc/meminfo"), "MemTotal: lots kB\n");
    Files.delete(root.resolve("sys/devices/pci0000:00/0000:00:1f.6/net/eno1/speed"));
    Files.delete(root.resolve("proc/cpuinfo"));
    Files.createSymbolicLink(root.resolve("sys/block/sdz"), Path.of("../devices/nowhere/sdz"));

    HardwareFacts facts = new HardwareFactsReader(root, "amd64").read();

    assertThat(facts.getDmi().getSystemSerial()).isEmpty();
    assertThat(facts.getDmi().getSystemVendor()).isEqualTo("Supermicro");
    assertThat(facts.getMemoryBytes()).isZero();
    assertThat(facts.getNics(0).getSpeedMbps()).isZero();
    assertThat(facts.getCpu().getModel()).isEmpty();
    assertThat(facts.getCpu().getThreads()).as("from /sys topology").isEqualTo(8);
    assertThat(facts.getDisksList()).extracting(DiskFacts::getName).contains("sdz");
    assertThat(
            facts.getDisksList().stream()
                .filter(d -> d.getName().equals("sdz"))
                .findFirst()
                .orElseThrow()
                .getSizeBytes())
        .isZero();
  }

  @Test
  void anEmptyRootGivesEmptyFacts() {
    HardwareFacts facts = new HardwareFactsReader(dir.resolve("nothing-here"), "amd64").read();

    assertThat(facts.getDisksList()).isEmpty();
    assertThat(facts.getNicsList()).isEmpty();
    assertThat(facts.getCpu().getThreads()).isZero();
    assertThat(facts.getFingerprint()).matches("[0-9a-f]{64}");
  }

  @Test
  void fingerprintIsStableAndChangesWithTheHardware() throws Exception {
    Path root = FixtureTree.materialise("server-2s", dir);
    HardwareFactsReader reader = new HardwareFactsReader(root, "amd64");
    HardwareFacts first = reader.read();

    assertThat(reader.read().getFingerprint()).isEqualTo(first.getFingerprint());
    assertThat(HardwareFactsReader.fingerprint(first)).isEqualTo(first.getFingerprint());

    Files.writeString(
        root.resolve("sys/devices/pci0000:00/0000:00:1f.6/net/eno2/operstate"), "up\n");
    assertThat(reader.read().getFingerprint()).isNotEqualTo(first.getFingerprint());
  }

  @Test
  void thisMachinesRealSysfsGivesPlausibleFacts() throws Exception {
    HardwareFacts facts = HardwareFactsReader.forThisMachine().read();

    assertThat(facts.getArch()).isIn("amd64", "arm64");
    assertThat(facts.getKernelVersion()).isEqualTo(System.getProperty("os.version"));
    assertThat(facts.getOs()).isNotEmpty();
    assertThat(facts.getCpu().getThreads()).isGreaterThanOrEqualTo(1);
    assertThat(facts.getCpu().getCores()).isBetween(1, facts.getCpu().getThreads());
    assertThat(facts.getCpu().getSockets()).isBetween(1, facts.getCpu().getCores());
    assertThat(facts.getMemoryBytes())
        .isGreaterThanOrEqualTo(Runtime.getRuntime().maxMemory() / 4)
        .isGreaterThan(256L << 20);
    assertThat(facts.getDisksList())
        .allSatisfy(
            d -> {
              assertThat(d.getName())
                  .doesNotStartWith("loop")
                  .doesNotStartWith("zram")
                  .doesNotStartWith("dm-");
              assertThat(Path.of("/sys/block", d.getName())).exists();
            });
    assertThat(facts.getNicsList()).extracting(NicFacts::getName).doesNotContain("lo");
    for (NicFacts nic : facts.getNicsList()) {
      assertThat(Path.of("/sys/class/net", nic.getName())).exists();
      assertThat(nic.getMtu()).isGreaterThanOrEqualTo(68);
    }
    assertThat(facts.getFingerprint()).matches("[0-9a-f]{64}");
  }
}
