package org.debvisor.agent.facts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.debvisor.proto.CpuFacts;

/**
 * CPU model, topology and virtualisation support from {@code /proc/cpuinfo} and {@code
 * /sys/devices/system/cpu}; topology files win over cpuinfo, which arm64 kernels leave sparse.
 */
final class CpuFactsReader {

  private static final String CPU_DIR = "sys/devices/system/cpu";

  private final SysFs fs;

  CpuFactsReader(SysFs fs) {
    this.fs = fs;
  }

  CpuFacts read(String arch) {
    List<Map<String, String>> processors = processors(fs.lines("proc/cpuinfo"));
    Map<String, String> first = processors.isEmpty() ? Map.of() : processors.get(0);
    Set<String> packages = new HashSet<>();
    Set<String> cores = new HashSet<>();
    int threads = 0;
    long maxKhz = 0;
    for (String name : fs.names(CPU_DIR)) {
      if (!name.matches("cpu\\d+")) {
        continue;
      }
      threads++;
      String topology = CPU_DIR + "/" + name + "/topology/";
      String pkg = fs.text(topology + "physical_package_id");
      String core = fs.text(topology + "core_id");
      if (!pkg.isEmpty() && !core.isEmpty()) {
        packages.add(pkg);
        cores.add(pkg + "/" + core);
      }
      maxKhz = Math.max(maxKhz, fs.number(CPU_DIR + "/" + name + "/cpufreq/cpuinfo_max_freq", 0));
    }
    if (cores.isEmpty()) {
      // No topology in /sys: x86 cpuinfo names the package and core of every logical CPU.
      for (Map<String, String> p : processors) {
        String pkg = p.getOrDefault("physical id", "0");
        if (p.containsKey("core id")) {
          packages.add(pkg);
          cores.add(pkg + "/" + p.get("core id"));
        }
      }
    }
    if (threads == 0) {
      threads = processors.size();
    }
    int coreCount = cores.isEmpty() ? threads : cores.size();
    int socketCount = packages.isEmpty() ? (threads > 0 ? 1 : 0) : packages.size();
    long mhz = maxKhz / 1000;
    if (mhz == 0) {
      for (Map<String, String> p : processors) {
        mhz = Math.max(mhz, Math.round(parseDouble(p.getOrDefault("cpu MHz", ""))));
      }
    }
    return CpuFacts.newBuilder()
        .setModel(model(first))
        .setCores(coreCount)
        .setThreads(threads)
        .setSockets(socketCount)
        .setVirtualization(virtualization(first, arch))
        .setMhzMax((int) Math.min(mhz, Integer.MAX_VALUE))
        .build();
  }

  private String model(Map<String, String> first) {
    for (String key : new String[] {"model name", "cpu model"}) {
      String value = first.getOrDefault(key, "");
      if (!value.isEmpty()) {
        return value;
      }
    }
    // arm64 cpuinfo names no model, only the implementer and part numbers.
    String arm =
        ArmCores.name(
            first.getOrDefault("CPU implementer", ""), first.getOrDefault("CPU part", ""));
    if (!arm.isEmpty()) {
      return arm;
    }
    for (String key : new String[] {"Hardware", "Processor"}) {
      String value = first.getOrDefault(key, "");
      if (!value.isEmpty()) {
        return value;
      }
    }
    return fs.text("sys/firmware/devicetree/base/model");
  }

  private String virtualization(Map<String, String> first, String arch) {
    Set<String> flags = Set.of(first.getOrDefault("flags", "").split("\\s+"));
    if (flags.contains("vmx")) {
      return "vmx";
    }
    if (flags.contains("svm")) {
      return "svm";
    }
    // arm64 has no cpuinfo flag for EL2; the kernel offers /dev/kvm only when KVM is usable.
    if (arch.equals("arm64") && fs.exists("dev/kvm")) {
      return "el2";
    }
    return "";
  }

  /** One key/value map per logical CPU; cpuinfo separates them with blank lines. */
  static List<Map<String, String>> processors(List<String> lines) {
    List<Map<String, String>> all = new ArrayList<>();
    Map<String, String> current = new LinkedHashMap<>();
    Map<String, String> shared = new HashMap<>();
    for (String line : lines) {
      if (line.isBlank()) {
        if (current.containsKey("processor")) {
          all.add(current);
        } else {
          shared.putAll(current);
        }
        current = new LinkedHashMap<>();
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        current.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      }
    }
    if (current.containsKey("processor")) {
      all.add(current);
    } else {
      shared.putAll(current);
    }
    // Some arm kernels print "Hardware" and "Serial" once after all processors.
    for (Map<String, String> p : all) {
      shared.forEach(p::putIfAbsent);
    }
    return all;
  }

  private static double parseDouble(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
