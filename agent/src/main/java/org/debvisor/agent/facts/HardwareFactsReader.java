package org.debvisor.agent.facts;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.debvisor.agent.report.NodeIdentityReader;
import org.debvisor.common.digest.Sha256;
import org.debvisor.proto.CpuFacts;
import org.debvisor.proto.DmiFacts;
import org.debvisor.proto.HardwareFacts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a node's {@link HardwareFacts} from {@code /proc}, {@code /sys} and the DMI tables under a
 * filesystem root, and fingerprints them. Never throws: what cannot be read stays empty.
 */
public final class HardwareFactsReader implements Supplier<HardwareFacts> {

  private static final Logger log = LoggerFactory.getLogger(HardwareFactsReader.class);

  private final SysFs fs;
  private final String arch;

  /**
   * @param root filesystem root ({@code /} in production, a fixture tree in tests)
   * @param arch Debian architecture of the machine described (amd64, arm64)
   */
  public HardwareFactsReader(Path root, String arch) {
    this.fs = new SysFs(root);
    this.arch = arch;
  }

  /** Reads the machine this JVM runs on. */
  public static HardwareFactsReader forThisMachine() {
    return new HardwareFactsReader(
        Path.of("/"), NodeIdentityReader.debianArch(System.getProperty("os.arch", "")));
  }

  @Override
  public HardwareFacts get() {
    return read();
  }

  /** Reads every fact now and adds the fingerprint. */
  public HardwareFacts read() {
    HardwareFacts.Builder facts =
        HardwareFacts.newBuilder()
            .setArch(arch)
            .setOs(osPrettyName())
            .setKernelVersion(fs.text("proc/sys/kernel/osrelease"));
    // Each part on its own, so one surprising file costs only its own section.
    facts.setCpu(
        guard("cpu", () -> new CpuFactsReader(fs).read(arch), CpuFacts.getDefaultInstance()));
    facts.setMemoryBytes(guard("memory", this::memoryBytes, 0L));
    facts.addAllDisks(guard("disks", () -> new DiskFactsReader(fs).read(), java.util.List.of()));
    facts.addAllNics(guard("nics", () -> new NicFactsReader(fs).read(), java.util.List.of()));
    facts.setDmi(guard("dmi", () -> new DmiFactsReader(fs).read(), DmiFacts.getDefaultInstance()));
    return facts.setFingerprint(fingerprint(facts.build())).build();
  }

  /**
   * SHA-256 (hex) of the facts' protobuf encoding with the fingerprint field cleared; lists are
   * read in sorted order, so equal hardware gives equal fingerprints.
   */
  public static String fingerprint(HardwareFacts facts) {
    byte[] canonical = facts.toBuilder().clearFingerprint().build().toByteArray();
    return Sha256.hex(canonical);
  }

  private long memoryBytes() {
    for (String line : fs.lines("proc/meminfo")) {
      if (line.startsWith("MemTotal:")) {
        String[] parts = line.substring("MemTotal:".length()).strip().split("\\s+");
        try {
          return Long.parseLong(parts[0]) * 1024;
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  private String osPrettyName() {
    for (String candidate : new String[] {"etc/os-release", "usr/lib/os-release"}) {
      for (String line : fs.lines(candidate)) {
        if (line.startsWith("PRETTY_NAME=")) {
          return unquote(line.substring("PRETTY_NAME=".length()).strip());
        }
      }
    }
    return "";
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  private static <T> T guard(String section, Supplier<T> read, T empty) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      log.warn("cannot read {} facts: {}", section, e.toString());
      return empty;
    }
  }
}
