package org.debvisor.sim;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.List;
import org.debvisor.proto.CephDetails;
import org.debvisor.proto.CpuFacts;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.debvisor.proto.SystemDetails;

/** The reports a simulated node gives: a healthy amd64 Debian 13 machine. */
final class SimStatus {

  static final String AGENT_VERSION = "sim-0.1.0";
  static final String SIM_FSID = "00000000-0000-4000-8000-00000000c0de";

  private SimStatus() {}

  static NodeStatus report(
      String nodeId,
      String hostname,
      String configVersion,
      List<Integer> osdIds,
      long revision,
      Instant now) {
    Timestamp at = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).build();
    NodeStatus.Builder report =
        NodeStatus.newBuilder()
            .setNode(
                NodeIdentity.newBuilder()
                    .setNodeId(nodeId)
                    .setHostname(hostname)
                    .setArch("amd64")
                    .setAgentVersion(AGENT_VERSION)
                    .setConfigVersion(configVersion)
                    .setOs("Debian GNU/Linux 13 (trixie), simulated")
                    .setKernelVersion("6.12.0-sim"))
            .setState(HealthState.HEALTH_OK)
            .setSummary("simulated node: all checks pass")
            .setGeneratedAt(at)
            .setRevision(revision)
            .addSubsystems(
                SubsystemStatus.newBuilder()
                    .setSubsystem(Subsystem.SUBSYSTEM_SYSTEM)
                    .setState(HealthState.HEALTH_OK)
                    .setMessage("simulated")
                    .setCollectedAt(at)
                    .setLastSuccessAt(at)
                    .setSystem(
                        SystemDetails.newBuilder()
                            .setCpuCount(4)
                            .setMemoryTotalBytes(8L << 30)
                            .setMemoryAvailableBytes(6L << 30)
                            .setSystemdRunning(true)));
    if (!osdIds.isEmpty()) {
      report.addSubsystems(
          SubsystemStatus.newBuilder()
              .setSubsystem(Subsystem.SUBSYSTEM_CEPH)
              .setState(HealthState.HEALTH_OK)
              .setMessage("simulated Ceph: HEALTH_OK")
              .setCollectedAt(at)
              .setLastSuccessAt(at)
              .setCeph(
                  CephDetails.newBuilder()
                      .setFsid(SIM_FSID)
                      .setHealthStatus("HEALTH_OK")
                      .setMgrAvailable(true)
                      .addAllLocalOsdIds(osdIds)));
    }
    return report.build();
  }

  static HardwareFacts facts(String nodeId) {
    return HardwareFacts.newBuilder()
        .setArch("amd64")
        .setCpu(CpuFacts.newBuilder().setCores(4).setThreads(4).setModel("Simulated CPU"))
        .setMemoryBytes(8L << 30)
        .setFingerprint("sim-" + nodeId)
        .build();
  }
}
