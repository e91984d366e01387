package org.debvisor.agent.collect.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.debvisor.agent.collect.Collector;
import org.debvisor.agentapi.SystemSettings;
import org.debvisor.proto.Filesystem;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.debvisor.proto.SystemDetails;
import org.debvisor.proto.TimeSync;

/** Reports load, memory, filesystems, uptime, clock sync and failed systemd units. */
public final class SystemCollector implements Collector {

  private static final double MEMORY_ERROR_PERCENT = 3;
  private static final double MEMORY_WARN_PERCENT = 10;

  private final SystemSettings settings;
  private final Path root;
  private final ProcReader proc;
  private final FilesystemUsageReader filesystems;
  private final ClockSyncProbe clockSync;
  private final FailedUnitsReader failedUnits;

  /** Reads the real system. */
  public SystemCollector(SystemSettings settings) {
    this(settings, Path.of("/"), new KernelClockSyncProbe(), FailedUnitsReader.systemctl());
  }

  SystemCollector(
      SystemSettings settings, Path root, ClockSyncProbe clockSync, FailedUnitsReader failedUnits) {
    this.settings = settings;
    this.root = root;
    this.proc = new ProcReader(root);
    this.filesystems = new FilesystemUsageReader(root);
    this.clockSync = clockSync;
    this.failedUnits = failedUnits;
  }

  @Override
  public Subsystem subsystem() {
    return Subsystem.SUBSYSTEM_SYSTEM;
  }

  @Override
  public Duration interval() {
    return settings.interval();
  }

  @Override
  public Duration timeout() {
    return settings.timeout();
  }

  @Override
  public SubsystemStatus collect() throws Exception {
    double[] load = proc.loadAverages();
    Map<String, Long> mem = proc.memInfo();
    int cpus = proc.cpuCount();
    double uptime = proc.uptimeSeconds();
    SystemDetails.Builder d =
        SystemDetails.newBuilder()
            .setLoad1(load[0])
            .setLoad5(load[1])
            .setLoad15(load[2])
            .setCpuCount(cpus)
            .setMemoryTotalBytes(mem.getOrDefault("MemTotal", 0L))
            .setMemoryAvailableBytes(
                mem.getOrDefault("MemAvailable", mem.getOrDefault("MemFree", 0L)))
            .setSwapTotalBytes(mem.getOrDefault("SwapTotal", 0L))
            .setSwapFreeBytes(mem.getOrDefault("SwapFree", 0L))
            .addAllFilesystems(filesystems.read())
            .setUptime(
                com.google.protobuf.Duration.newBuilder()
                    .setSeconds((long) uptime)
                    .setNanos((int) ((uptime - (long) uptime) * 1e9)));
    List<String> warnings = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    try {
      TimeSync sync = clockSync.read();
      d.setTimeSync(sync);
      if (!sync.getSynchronized()) {
        warnings.add("clock not synchronised (no NTP source disciplines it)");
      }
    } catch (Exception | LinkageError e) {
      warnings.add("clock sync unknown: " + e.getMessage());
    }
    boolean systemd = Files.isDirectory(root.resolve("run/systemd/system"));
    d.setSystemdRunning(systemd);
    if (systemd) {
      List<String> failed = failedUnits.read(settings.timeout().dividedBy(2));
      d.addAllFailedUnits(failed);
      if (!failed.isEmpty()) {
        warnings.add(
            failed.size()
                + " failed unit(s): "
                + String.join(", ", failed.subList(0, Math.min(3, failed.size()))));
      }
    }
    judgeMemory(d, warnings, errors);
    judgeFilesystems(d.getFilesystemsList(), warnings, errors);
    if (load[1] > 2.0 * cpus) {
      warnings.add(String.format(Locale.ROOT, "load %.2f on %d CPUs", load[1], cpus));
    }
    HealthState state =
        !errors.isEmpty()
            ? HealthState.HEALTH_ERROR
            : warnings.isEmpty() ? HealthState.HEALTH_OK : HealthState.HEALTH_WARN;
    List<String> all = new ArrayList<>(errors);
    all.addAll(warnings);
    String message =
        all.isEmpty()
            ? String.format(
                Locale.ROOT,
                "load %.2f, %.0f%% memory available, %d filesystems",
                load[0],
                percent(d.getMemoryAvailableBytes(), d.getMemoryTotalBytes()),
                d.getFilesystemsCount())
            : String.join("; ", all);
    return SubsystemStatus.newBuilder()
        .setSubsystem(Subsystem.SUBSYSTEM_SYSTEM)
        .setState(state)
        .setMessage(message)
        .setSystem(d)
        .build();
  }

  private static void judgeMemory(
      SystemDetails.Builder d, List<String> warnings, List<String> errors) {
    if (d.getMemoryTotalBytes() == 0) {
      return;
    }
    double available = percent(d.getMemoryAvailableBytes(), d.getMemoryTotalBytes());
    String text = String.format(Locale.ROOT, "only %.1f%% memory available", available);
    if (available < MEMORY_ERROR_PERCENT) {
      errors.add(text);
    } else if (available < MEMORY_WARN_PERCENT) {
      warnings.add(text);
    }
  }

  private void judgeFilesystems(List<Filesystem> list, List<String> warnings, List<String> errors) {
    for (Filesystem fs : list) {
      double used = FilesystemUsageReader.usedPercent(fs);
      String text = String.format(Locale.ROOT, "%s %.0f%% full", fs.getMountPoint(), used);
      if (used >= settings.filesystemErrorPercent()) {
        errors.add(text);
      } else if (used >= settings.filesystemWarnPercent()) {
        warnings.add(text);
      }
    }
  }

  private static double percent(long part, long whole) {
    return whole == 0 ? 0 : 100.0 * part / whole;
  }
}
