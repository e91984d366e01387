package org.debvisor.agent.collect.hypervisor;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells whether a local QEMU URI has a libvirt daemon to talk to, so a node without libvirtd is
 * reported ABSENT instead of failing every collection.
 */
final class LocalDaemonProbe {

  private static final List<String> SYSTEM_SOCKETS =
      List.of("libvirt-sock", "libvirt-sock-ro", "virtqemud-sock", "virtqemud-sock-ro");

  private final Path runDir;

  /**
   * @param runDir where the system daemons put their sockets, normally {@code /run/libvirt}
   */
  LocalDaemonProbe(Path runDir) {
    this.runDir = runDir;
  }

  /** Returns why the URI has no daemon to reach, or empty when it may be reachable. */
  Optional<String> missingDaemon(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      return Optional.empty(); // libvirt reports malformed URIs itself, with its own words
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    boolean local = parsed.getHost() == null || parsed.getHost().isEmpty();
    if (!local || !(scheme.equals("qemu") || scheme.equals("qemu+unix"))) {
      return Optional.empty();
    }
    Optional<Path> explicitSocket = socketParameter(parsed.getRawQuery());
    if (explicitSocket.isPresent()) {
      return Files.exists(explicitSocket.get())
          ? Optional.empty()
          : Optional.of(
              "no libvirt daemon socket at "
                  + explicitSocket.get()
                  + " — libvirt is not running on this node");
    }
    if (!"/system".equals(parsed.getPath())) {
      return Optional.empty(); // session daemons are started on demand by the client
    }
    for (String name : SYSTEM_SOCKETS) {
      if (Files.exists(runDir.resolve(name))) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "no libvirt daemon socket in "
            + runDir
            + " (libvirt-sock, virtqemud-sock) — libvirt is not installed or not running on this"
            + " node");
  }

  private static Optional<Path> socketParameter(String query) {
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("socket=")) {
        String value = pair.substring("socket=".length());
        return Optional.of(Path.of(URLDecoder.decode(value, StandardCharsets.UTF_8)));
      }
    }
    return Optional.empty();
  }
}
