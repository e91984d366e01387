package org.debvisor.controller.qemu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows an install through the installer's syslog and kernel messages on the serial console and
 * records when each {@link InstallPhase} was reached and why the install stopped, if it did.
 */
final class InstallPhases {

  private static final Pattern MENU_ITEM =
      Pattern.compile("main-menu\\[\\d+\\]: INFO: Menu item '([^']+)' selected");
  private static final Pattern STEP_FAILED =
      Pattern.compile("main-menu\\[\\d+\\]: WARNING \\*\\*: Configuring '([^']+)' failed.*");
  // net-retriever/anna report a bad Release signature or a failed download, then show a dialog.
  private static final Pattern RETRIEVER_ERROR =
      Pattern.compile(
          "(?:net-retriever|anna(?:\\[\\d+\\])?): (?:error|ERROR|WARNING \\*\\*): (.*)");
  private static final Pattern HTTP_ERROR =
      Pattern.compile("(?:server returned error|HTTP/1\\.[01]) (40[0-9]|5\\d\\d)");
  private static final Pattern UDEB =
      Pattern.compile("([a-z0-9][a-z0-9+.-]*)_[^_/\\s]+_[a-z0-9]+\\.udeb");
  private static final Pattern LEASE =
      Pattern.compile("(?i)lease of \\d+\\.\\d+\\.\\d+\\.\\d+ obtained");
  private static final Map<String, InstallPhase> STARTED_BY_MENU_ITEM =
      Map.of(
          "download-installer", InstallPhase.COMPONENTS_DOWNLOADING,
          "partman-base", InstallPhase.PARTITIONING,
          "bootstrap-base", InstallPhase.BASE_SYSTEM,
          "pkgsel", InstallPhase.SOFTWARE,
          "grub-installer", InstallPhase.BOOTLOADER_INSTALL);
  // The phase reached once the installer moves on from this menu item.
  private static final Map<String, InstallPhase> DONE_WHEN_LEFT =
      Map.of(
          "file-preseed", InstallPhase.PRESEED_READ,
          "netcfg", InstallPhase.NETWORK_CONFIGURED,
          "choose-mirror", InstallPhase.MIRROR_CHECKED);

  private final Map<InstallPhase, Duration> reached = new EnumMap<>(InstallPhase.class);
  private final List<String> missing = new ArrayList<>();
  private String currentMenuItem;
  private String failure;
  private String lastUrl;

  public InstallPhases() {
    reached.put(InstallPhase.FIRMWARE, Duration.ZERO);
  }

  /** Takes one console line seen {@code at} after QEMU started. */
  public void observe(String line, Duration at) {
    if (line.contains("Run /init as init process") || line.contains("Linux version")) {
      reach(InstallPhase.KERNEL_BOOTED, at);
    }
    if (line.contains("successfully loaded preseed file")) {
      reach(InstallPhase.PRESEED_READ, at);
    }
    if (LEASE.matcher(line).find()) {
      reach(InstallPhase.NETWORK_CONFIGURED, at);
    }
    if (line.contains("grub>")
        && !reached.containsKey(InstallPhase.KERNEL_BOOTED)
        && failure == null) {
      failure = "the boot loader stopped at the GRUB prompt: it found no usable grub.cfg";
    }
    Matcher menu = MENU_ITEM.matcher(line);
    if (menu.find()) {
      menuItem(menu.group(1), at);
    }
    Matcher failed = STEP_FAILED.matcher(line);
    if (failed.find() && failure == null) {
      failure = "installer step '" + failed.group(1) + "' failed";
    }
    Matcher retriever = RETRIEVER_ERROR.matcher(line);
    if (retriever.find() && failure == null) {
      failure = "downloading installer components: " + retriever.group(1).strip();
    }
    if (line.contains("http://") || line.contains("https://")) {
      lastUrl = line;
    }
    if (HTTP_ERROR.matcher(line).find()) {
      Matcher udeb = UDEB.matcher(line);
      Matcher previous = lastUrl == null ? null : UDEB.matcher(lastUrl);
      if (udeb.find()) {
        addMissing(udeb.group(1));
      } else if (previous != null && previous.find()) {
        addMissing(previous.group(1));
      }
    }
  }

  private void menuItem(String item, Duration at) {
    if (currentMenuItem != null && !currentMenuItem.equals(item)) {
      InstallPhase done = DONE_WHEN_LEFT.get(currentMenuItem);
      if (done != null) {
        reach(done, at);
      }
    }
    InstallPhase started = STARTED_BY_MENU_ITEM.get(item);
    if (started != null) {
      reach(started, at);
    }
    if (item.equals("finish-install")) {
      reach(InstallPhase.BOOTLOADER_INSTALL, at);
    }
    currentMenuItem = item;
  }

  /** The guest powered off or rebooted: the install finished if it got to finish-install. */
  public void guestExited(Duration at) {
    if ("finish-install".equals(currentMenuItem) && failure == null) {
      reach(InstallPhase.FINISHED, at);
    }
  }

  private void addMissing(String name) {
    if (!missing.contains(name)) {
      missing.add(name);
    }
  }

  private void reach(InstallPhase phase, Duration at) {
    reached.putIfAbsent(phase, at);
  }

  /** When each phase was reached, in install order. */
  public Map<InstallPhase, Duration> reached() {
    return new EnumMap<>(reached);
  }

  /** The furthest phase reached. */
  public InstallPhase furthest() {
    return ((EnumMap<InstallPhase, Duration>) reached())
        .keySet().stream().reduce((a, b) -> b).orElseThrow();
  }

  /** Why the install stopped, once the installer has reported a failed step. */
  public Optional<String> failure() {
    if (failure == null) {
      return Optional.empty();
    }
    return Optional.of(
        missing.isEmpty() ? failure : failure + "; the mirror answered 404 for " + missing);
  }

  /** Components (udebs) the mirror did not serve, as named in the log. */
  public List<String> missingComponents() {
    return List.copyOf(missing);
  }
}
