package org.debvisor.controller.qemu;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the image installer's console lines ({@code DEBVISOR-INSTALL phase=NAME} and {@code
 * DEBVISOR-INSTALL FAILED phase=NAME: REASON}) into phase times and the failure, if any.
 */
final class ImageInstallConsole {

  private static final Pattern PHASE = Pattern.compile("DEBVISOR-INSTALL phase=([a-z]+)");
  private static final Pattern FAILED =
      Pattern.compile("DEBVISOR-INSTALL FAILED phase=([a-z]+): (.*)");

  private final Map<ImageInstallPhase, Duration> reached = new EnumMap<>(ImageInstallPhase.class);
  private String failure;

  /**
   * Takes one console line seen {@code at} after QEMU started (several phase markers on one line
   * all count); the first sighting of a phase counts.
   */
  public void observe(String line, Duration at) {
    Matcher failed = FAILED.matcher(line);
    if (failed.find()) {
      if (failure == null) {
        failure = "phase " + failed.group(1) + ": " + failed.group(2).strip();
      }
      return;
    }
    Matcher phase = PHASE.matcher(line);
    while (phase.find()) {
      ImageInstallPhase.fromConsole(phase.group(1)).ifPresent(p -> reached.putIfAbsent(p, at));
    }
  }

  /** Records a phase the test itself observed (first boot, agent). */
  public void reach(ImageInstallPhase phase, Duration at) {
    reached.putIfAbsent(phase, at);
  }

  public Map<ImageInstallPhase, Duration> reached() {
    return Map.copyOf(reached);
  }

  public boolean installed() {
    return reached.containsKey(ImageInstallPhase.INSTALLED);
  }

  /** The installer's failure line, if it printed one. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }
}
