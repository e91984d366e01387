package org.debvisor.controller.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.debvisor.proto.CephDetails;
import org.debvisor.proto.CephHealthCheck;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;

/**
 * Ceph health as the fleet reports it: per cluster (fsid) the freshest reading any node sent, and
 * the worst status over all clusters.
 */
public record CephHealthReport(String overall, List<Cluster> clusters) {

  /** One Ceph cluster as last seen by one of its nodes. */
  public record Cluster(
      String fsid,
      String health,
      String reportedBy,
      String collectedAt,
      int monsInQuorum,
      int monsTotal,
      int osdsUp,
      int osdsIn,
      int osdsTotal,
      List<String> checks) {}

  /** No node reports Ceph. */
  public static final String UNKNOWN = "UNKNOWN";

  /** Builds the report from the controller's node records. */
  public static CephHealthReport from(List<NodeRecord> nodes) {
    Map<String, Cluster> byFsid = new LinkedHashMap<>();
    for (NodeRecord node : nodes) {
      var reading = Subsystems.present(node, Subsystem.SUBSYSTEM_CEPH);
      if (reading.isEmpty() || !reading.get().hasCeph()) {
        continue;
      }
      Cluster cluster = cluster(node, reading.get());
      byFsid.merge(
          cluster.fsid(),
          cluster,
          (a, b) -> Instant.parse(a.collectedAt()).isAfter(Instant.parse(b.collectedAt())) ? a : b);
    }
    List<Cluster> clusters = new ArrayList<>(byFsid.values());
    clusters.sort(Comparator.comparing(Cluster::fsid));
    String overall =
        clusters.stream()
            .map(Cluster::health)
            .max(Comparator.comparingInt(CephHealthReport::severity))
            .orElse(UNKNOWN);
    return new CephHealthReport(overall, List.copyOf(clusters));
  }

  private static Cluster cluster(NodeRecord node, SubsystemStatus reading) {
    CephDetails ceph = reading.getCeph();
    List<String> checks = new ArrayList<>();
    for (CephHealthCheck check : ceph.getChecksList()) {
      if (!check.getMuted()) {
        checks.add(check.getSeverity() + " " + check.getCode() + ": " + check.getSummary());
      }
    }
    String health = ceph.getHealthStatus().isEmpty() ? UNKNOWN : ceph.getHealthStatus();
    return new Cluster(
        ceph.getFsid().isEmpty() ? "(unknown fsid)" : ceph.getFsid(),
        health,
        node.getHostname(),
        Instant.ofEpochSecond(reading.getCollectedAt().getSeconds()).toString(),
        ceph.getMons().getQuorumNamesCount(),
        ceph.getMons().getTotal(),
        ceph.getOsds().getUp(),
        ceph.getOsds().getIn(),
        ceph.getOsds().getTotal(),
        List.copyOf(checks));
  }

  /** HEALTH_OK < UNKNOWN < HEALTH_WARN < HEALTH_ERR. */
  static int severity(String health) {
    return switch (health) {
      case "HEALTH_OK" -> 0;
      case "HEALTH_WARN" -> 2;
      case "HEALTH_ERR" -> 3;
      default -> 1;
    };
  }

  /** 0 HEALTH_OK, 1 HEALTH_WARN, 2 HEALTH_ERR, 3 unknown (no node reports Ceph). */
  public int exitCode() {
    return switch (overall) {
      case "HEALTH_OK" -> 0;
      case "HEALTH_WARN" -> 1;
      case "HEALTH_ERR" -> 2;
      default -> 3;
    };
  }
}
