package org.debvisor.agent.collect.ceph;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.debvisor.proto.CephCapacity;
import org.debvisor.proto.CephDetails;
import org.debvisor.proto.CephHealthCheck;
import org.debvisor.proto.CephPgStateCount;
import org.debvisor.proto.HealthState;

/** The subsystem state and one-line message that summarise {@link CephDetails}. */
final class CephHealthSummary {

  private CephHealthSummary() {}

  /** Ceph's own verdict, which already leaves muted checks out. */
  static HealthState state(CephDetails details) {
    return switch (details.getHealthStatus()) {
      case "HEALTH_OK" -> HealthState.HEALTH_OK;
      case "HEALTH_WARN" -> HealthState.HEALTH_WARN;
      case "HEALTH_ERR" -> HealthState.HEALTH_ERROR;
      default -> HealthState.HEALTH_UNKNOWN;
    };
  }

  /**
   * E.g. "HEALTH_WARN: OSDMAP_FLAGS (noout flag(s) set); 1/1 mons in quorum, 1/1 OSDs up, 1/1 in,
   * 8/8 PGs active+clean, 0.1% raw used".
   */
  static String message(CephDetails details) {
    String status =
        details.getHealthStatus().isEmpty() ? "no health status" : details.getHealthStatus();
    List<String> active = new ArrayList<>();
    for (CephHealthCheck check : details.getChecksList()) {
      if (!check.getMuted()) {
        active.add(check.getCode() + " (" + check.getSummary() + ")");
      }
    }
    StringBuilder message = new StringBuilder(status).append(": ");
    if (!active.isEmpty()) {
      message.append(String.join(", ", active)).append("; ");
    }
    message
        .append(details.getMons().getQuorumNamesCount())
        .append('/')
        .append(details.getMons().getTotal())
        .append(" mons in quorum, ")
        .append(details.getOsds().getUp())
        .append('/')
        .append(details.getOsds().getTotal())
        .append(" OSDs up, ")
        .append(details.getOsds().getIn())
        .append('/')
        .append(details.getOsds().getTotal())
        .append(" in, ")
        .append(activeClean(details))
        .append('/')
        .append(details.getPgs().getTotal())
        .append(" PGs active+clean, ")
        .append(rawUsed(details.getCapacity()))
        .append(" raw used");
    if (!details.getMgrAvailable()) {
      message.append(", no active mgr");
    }
    return message.toString();
  }

  private static long activeClean(CephDetails details) {
    return details.getPgs().getStatesList().stream()
        .filter(state -> state.getState().equals("active+clean"))
        .mapToLong(CephPgStateCount::getCount)
        .sum();
  }

  private static String rawUsed(CephCapacity capacity) {
    if (capacity.getTotalBytes() == 0) {
      return "?%";
    }
    double percent = 100.0 * capacity.getUsedRawBytes() / capacity.getTotalBytes();
    return String.format(Locale.ROOT, "%.1f%%", percent);
  }
}
