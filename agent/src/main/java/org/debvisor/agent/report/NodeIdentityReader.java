package org.debvisor.agent.report;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.debvisor.agentapi.NodeSettings;
import org.debvisor.proto.NodeIdentity;

/**
 * Reads who this node is from the settings, {@code /etc/machine-id}, the hostname and os-release.
 */
public final class NodeIdentityReader {

  private final Path root;

  /** Reads from {@code /}; tests pass a fake root. */
  public NodeIdentityReader(Path root) {
    this.root = root;
  }

  public NodeIdentity read(NodeSettings settings, String agentVersion) {
    String hostname = settings.hostname().isEmpty() ? hostname() : settings.hostname();
    String id = settings.id().isEmpty() ? file("etc/machine-id").orElse(hostname) : settings.id();
    return NodeIdentity.newBuilder()
        .setNodeId(id)
        .setHostname(hostname)
        .setArch(debianArch(System.getProperty("os.arch", "")))
        .setAgentVersion(agentVersion)
        .setOs(osPrettyName().orElse(System.getProperty("os.name", "")))
        .setKernelVersion(
            file("proc/sys/kernel/osrelease").orElse(System.getProperty("os.version", "")))
        .build();
  }

  /** Maps the JVM's {@code os.arch} to Debian's architecture names. */
  public static String debianArch(String jvmArch) {
    return switch (jvmArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "i386";
      case "ppc64le" -> "ppc64el";
      case "s390x" -> "s390x";
      case "riscv64" -> "riscv64";
      default -> jvmArch;
    };
  }

  private String hostname() {
    return file("proc/sys/kernel/hostname")
        .or(() -> file("etc/hostname"))
        .orElseGet(
            () -> {
              try {
                return InetAddress.getLocalHost().getHostName();
              } catch (IOException e) {
                return "localhost";
              }
            });
  }

  private Optional<String> osPrettyName() {
    for (String candidate : new String[] {"etc/os-release", "usr/lib/os-release"}) {
      try {
        for (String line : Files.readAllLines(root.resolve(candidate))) {
          if (line.startsWith("PRETTY_NAME=")) {
            return Optional.of(line.substring("PRETTY_NAME=".length()).replace("\"", "").strip());
          }
        }
      } catch (IOException e) {
        // try the next location
      }
    }
    return Optional.empty();
  }

  private Optional<String> file(String relative) {
    try {
      String value = Files.readString(root.resolve(relative)).strip();
      return value.isEmpty() ? Optional.empty() : Optional.of(value);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
