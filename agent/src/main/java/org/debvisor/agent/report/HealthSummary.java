package org.debvisor.agent.report;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;

/** Folds subsystem readings into the node's overall state and a one-line summary. */
public final class HealthSummary {

  private HealthSummary() {}

  /** Severity used to pick the worst state; ABSENT subsystems do not count. */
  public static int severity(HealthState state) {
    return switch (state) {
      case HEALTH_OK -> 0;
      case HEALTH_WARN -> 1;
      case HEALTH_UNKNOWN -> 2;
      case HEALTH_ERROR -> 3;
      case HEALTH_ABSENT, HEALTH_STATE_UNSPECIFIED, UNRECOGNIZED -> -1;
    };
  }

  /** The worst state among present subsystems; UNKNOWN when none is present. */
  public static HealthState overall(List<SubsystemStatus> readings) {
    HealthState worst = HealthState.HEALTH_UNKNOWN;
    int worstSeverity = -1;
    for (SubsystemStatus s : readings) {
      int severity = severity(s.getState());
      if (severity > worstSeverity) {
        worst = s.getState();
        worstSeverity = severity;
      }
    }
    return worst;
  }

  /** E.g. {@code "ok (ceph, hypervisor, system; kubernetes absent)"} or the non-OK parts. */
  public static String describe(List<SubsystemStatus> readings) {
    List<SubsystemStatus> troubled =
        readings.stream().filter(s -> severity(s.getState()) > 0).toList();
    String absent =
        readings.stream()
            .filter(s -> s.getState() == HealthState.HEALTH_ABSENT)
            .map(s -> name(s.getSubsystem()))
            .collect(Collectors.joining(", "));
    String absentNote = absent.isEmpty() ? "" : "; absent: " + absent;
    if (troubled.isEmpty()) {
      String ok =
          readings.stream()
              .filter(s -> s.getState() == HealthState.HEALTH_OK)
              .map(s -> name(s.getSubsystem()))
              .collect(Collectors.joining(", "));
      return "ok: " + (ok.isEmpty() ? "nothing to report" : ok) + absentNote;
    }
    return troubled.stream()
            .map(
                s -> name(s.getSubsystem()) + " " + stateName(s.getState()) + ": " + s.getMessage())
            .collect(Collectors.joining("; "))
        + absentNote;
  }

  /** Lower-case subsystem name: ceph, hypervisor, kubernetes, system. */
  public static String name(Subsystem subsystem) {
    return subsystem.name().replace("SUBSYSTEM_", "").toLowerCase(Locale.ROOT);
  }

  /** OK, WARN, ERROR, UNKNOWN or ABSENT. */
  public static String stateName(HealthState state) {
    return state.name().replace("HEALTH_", "");
  }
}
