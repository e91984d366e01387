package org.debvisor.agent.collect.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.debvisor.agentapi.SystemSettings;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.SubsystemStatus;
import org.debvisor.proto.SystemDetails;
import org.debvisor.proto.TimeSync;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemCollectorTest {

  @TempDir Path root;

  private static final SystemSettings SETTINGS = new SystemSettings(null, null, null, null);
  private static final ClockSyncProbe SYNCED =
      () -> TimeSync.newBuilder().setSynchronized(true).setMaxErrorUs(120).build();

  @BeforeEach
  void fakeProc() throws IOException {
    write("proc/loadavg", "0.52 0.40 0.31 1/234 5678\n");
    write(
        "proc/meminfo",
        "MemTotal:       16000000 kB\nMemFree:         1000000 kB\n"
            + "MemAvailable:    8000000 kB\nSwapTotal:       2000000 kB\nSwapFree:        1500000 kB\n");
    write("proc/cpuinfo", "processor\t: 0\nmodel name\t: x\n\nprocessor\t: 1\nmodel name\t: x\n");
    write("proc/uptime", "12345.67 20000.00\n");
    write("proc/filesystems", "nodev\tsysfs\nnodev\tproc\nnodev\ttmpfs\n\text4\n");
    Files.createDirectories(root.resolve("data"));
    // the temp dir itself stands in for a mounted ext4 filesystem at /data
    write(
        "proc/self/mounts",
        "/dev/vda1 /data ext4 rw,relatime 0 0\n"
            + "proc /proc proc rw 0 0\n"
            + "tmpfs /run tmpfs rw 0 0\n"
            + "/dev/vda1 /data ext4 rw,relatime 0 0\n");
  }

  private void write(String relative, String content) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private SubsystemStatus collect(SystemSettings settings, ClockSyncProbe probe) throws Exception {
    return new SystemCollector(settings, root, probe, new FailedUnitsReader(List.of("true")))
        .collect();
  }

  @Test
  void parsesProcFiles() throws Exception {
    SubsystemStatus s = collect(SETTINGS, SYNCED);
    SystemDetails d = s.getSystem();

    assertThat(d.getLoad1()).isEqualTo(0.52);
    assertThat(d.getLoad15()).isEqualTo(0.31);
    assertThat(d.getCpuCount()).isEqualTo(2);
    assertThat(d.getMemoryTotalBytes()).isEqualTo(16_000_000L * 1024);
    assertThat(d.getMemoryAvailableBytes()).isEqualTo(8_000_000L * 1024);
    assertThat(d.getSwapFreeBytes()).isEqualTo(1_500_000L * 1024);
    assertThat(d.getUptime().getSeconds()).isEqualTo(12345);
    assertThat(d.getTimeSync().getSynchronized()).isTrue();
    assertThat(d.getSystemdRunning()).isFalse();
  }

  @Test
  void listsDataFilesystemsOnceAndSkipsPseudoOnes() throws Exception {
    SystemDetails d = collect(SETTINGS, SYNCED).getSystem();

    assertThat(d.getFilesystemsList())
        .singleElement()
        .satisfies(
            fs -> {
              assertThat(fs.getMountPoint()).isEqualTo("/data");
              assertThat(fs.getDevice()).isEqualTo("/dev/vda1");
              assertThat(fs.getType()).isEqualTo("ext4");
              assertThat(fs.getTotalBytes()).isPositive();
              assertThat(fs.getUsedBytes() + fs.getAvailableBytes())
                  .isLessThanOrEqualTo(fs.getTotalBytes());
            });
  }

  @Test
  void healthyNodeIsOk() throws Exception {
    SubsystemStatus s = collect(SETTINGS, SYNCED);

    assertThat(s.getState()).isEqualTo(HealthState.HEALTH_OK);
    assertThat(s.getMessage()).contains("load 0.52", "50% memory available", "1 filesystems");
  }

  @Test
  void unsynchronisedClockWarns() throws Exception {
    SubsystemStatus s =
        collect(SETTINGS, () -> TimeSync.newBuilder().setSynchronized(false).build());

    assertThat(s.getState()).isEqualTo(HealthState.HEALTH_WARN);
    assertThat(s.getMessage()).contains("clock not synchronised");
  }

  @Test
  void fullFilesystemIsErrorAndLowMemoryWarns() throws Exception {
    write("proc/meminfo", "MemTotal:       16000000 kB\nMemAvailable:    1000000 kB\n");
    // Any real filesystem is at least 1% full, so a 1% error threshold trips.
    SubsystemStatus s = collect(new SystemSettings(null, null, 1, 1), SYNCED);

    assertThat(s.getState()).isEqualTo(HealthState.HEALTH_ERROR);
    assertThat(s.getMessage()).contains("/data", "full", "only 6.3% memory available");
  }

  @Test
  void failedSystemdUnitsWarnWhenSystemdRuns() throws Exception {
    Files.createDirectories(root.resolve("run/systemd/system"));
    FailedUnitsReader units =
        new FailedUnitsReader(
            List.of("printf", "ceph-osd@3.service loaded failed failed Ceph OSD\\n"));
    SubsystemStatus s = new SystemCollector(SETTINGS, root, SYNCED, units).collect();

    assertThat(s.getSystem().getSystemdRunning()).isTrue();
    assertThat(s.getSystem().getFailedUnitsList()).containsExactly("ceph-osd@3.service");
    assertThat(s.getState()).isEqualTo(HealthState.HEALTH_WARN);
    assertThat(s.getMessage()).contains("1 failed unit(s): ceph-osd@3.service");
  }

  @Test
  void readsThisMachine() throws Exception {
    SubsystemStatus s = new SystemCollector(SETTINGS).collect();
    SystemDetails d = s.getSystem();

    assertThat(d.getCpuCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(d.getMemoryTotalBytes()).isPositive();
    assertThat(d.getUptime().getSeconds()).isPositive();
    assertThat(d.getFilesystemsList()).anyMatch(fs -> fs.getMountPoint().equals("/"));
    assertThat(d.hasTimeSync()).as("adjtimex answered through JNA").isTrue();
  }
}
