package org.debvisor.controller.qemu;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code debvisor iso test} saw.
 *
 * @param accelerator KVM or TCG
 * @param reached when each phase was reached, counted from QEMU's start, in install order
 * @param outcome how the run ended
 * @param reason why it stopped (empty when it finished)
 * @param missingComponents components the mirror answered 404 for, as named in the log
 * @param lastLines the last console lines
 * @param workDir where the serial log and screendumps are kept
 */
public record IsoTestReport(
    Accelerator accelerator,
    Map<InstallPhase, Duration> reached,
    Outcome outcome,
    Optional<String> reason,
    List<String> missingComponents,
    List<String> lastLines,
    Path workDir) {

  /** How an install run ended. */
  public enum Outcome {
    FINISHED,
    STOPPED,
    TIMED_OUT
  }

  public IsoTestReport {
    reached = Collections.unmodifiableMap(new EnumMap<>(reached));
    missingComponents = List.copyOf(missingComponents);
    lastLines = List.copyOf(lastLines);
  }

  /** The furthest phase reached. */
  public InstallPhase furthest() {
    return reached.keySet().stream().max(Enum::compareTo).orElse(InstallPhase.FIRMWARE);
  }

  public boolean finished() {
    return outcome == Outcome.FINISHED;
  }
}
