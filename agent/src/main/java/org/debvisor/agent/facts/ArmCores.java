package org.debvisor.agent.facts;

import java.util.Locale;
import java.util.Map;

/** Names of common arm64 cores by the implementer and part numbers cpuinfo shows. */
final class ArmCores {

  private static final Map<String, String> IMPLEMENTERS =
      Map.of(
          "0x41", "ARM",
          "0x42", "Broadcom",
          "0x48", "HiSilicon",
          "0x4e", "NVIDIA",
          "0x51", "Qualcomm",
          "0x61", "Apple",
          "0xc0", "Ampere");

  private static final Map<String, String> ARM_PARTS =
      Map.ofEntries(
          Map.entry("0xd03", "Cortex-A53"),
          Map.entry("0xd04", "Cortex-A35"),
          Map.entry("0xd05", "Cortex-A55"),
          Map.entry("0xd07", "Cortex-A57"),
          Map.entry("0xd08", "Cortex-A72"),
          Map.entry("0xd09", "Cortex-A73"),
          Map.entry("0xd0a", "Cortex-A75"),
          Map.entry("0xd0b", "Cortex-A76"),
          Map.entry("0xd0c", "Neoverse-N1"),
          Map.entry("0xd0d", "Cortex-A77"),
          Map.entry("0xd40", "Neoverse-V1"),
          Map.entry("0xd41", "Cortex-A78"),
          Map.entry("0xd46", "Cortex-A510"),
          Map.entry("0xd47", "Cortex-A710"),
          Map.entry("0xd49", "Neoverse-N2"),
          Map.entry("0xd4f", "Neoverse-V2"));

  private ArmCores() {}

  /** e.g. "ARM Cortex-A72", "Ampere part 0xac3"; "" without an implementer. */
  static String name(String implementer, String part) {
    String impl = implementer.toLowerCase(Locale.ROOT).strip();
    String p = part.toLowerCase(Locale.ROOT).strip();
    if (impl.isEmpty()) {
      return "";
    }
    String vendor = IMPLEMENTERS.getOrDefault(impl, "implementer " + impl);
    if (impl.equals("0x41") && ARM_PARTS.containsKey(p)) {
      return vendor + " " + ARM_PARTS.get(p);
    }
    return p.isEmpty() ? vendor : vendor + " part " + p;
  }
}
