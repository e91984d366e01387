package org.debvisor.agent.collect.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parses the load, memory, CPU and uptime files of {@code /proc} under a given root. */
final class ProcReader {

  private final Path proc;

  ProcReader(Path root) {
    this.proc = root.resolve("proc");
  }

  /** 1, 5 and 15 minute load averages. */
  double[] loadAverages() throws IOException {
    String[] parts = Files.readString(proc.resolve("loadavg")).strip().split("\\s+");
    if (parts.length < 3) {
      throw new IOException("unexpected /proc/loadavg: " + String.join(" ", parts));
    }
    return new double[] {
      Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])
    };
  }

  /** /proc/meminfo values in bytes, keyed by field name (MemTotal, MemAvailable, ...). */
  Map<String, Long> memInfo() throws IOException {
    Map<String, Long> values = new HashMap<>();
    for (String line : Files.readAllLines(proc.resolve("meminfo"))) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String[] parts = line.substring(colon + 1).strip().split("\\s+");
      try {
        long value = Long.parseLong(parts[0]);
        boolean kib = parts.length > 1 && parts[1].equalsIgnoreCase("kB");
        values.put(line.substring(0, colon), kib ? value * 1024 : value);
      } catch (NumberFormatException e) {
        // not a numeric field
      }
    }
    return values;
  }

  /** Number of logical CPUs listed in /proc/cpuinfo. */
  int cpuCount() throws IOException {
    List<String> lines = Files.readAllLines(proc.resolve("cpuinfo"));
    int count = (int) lines.stream().filter(l -> l.startsWith("processor")).count();
    return count > 0 ? count : Runtime.getRuntime().availableProcessors();
  }

  /** Seconds since boot. */
  double uptimeSeconds() throws IOException {
    return Double.parseDouble(Files.readString(proc.resolve("uptime")).strip().split("\\s+")[0]);
  }
}
