package org.debvisor.controller.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.debvisor.controller.inventory.InstallProgressRow;
import org.debvisor.controller.inventory.NodeRow;
import org.debvisor.controller.inventory.NodeState;
import org.debvisor.proto.EnrolmentState;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.InstallingNode;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.NodeStatus;

/** Turns stored rows into the API's NodeRecord, marking nodes stale after 3 missed heartbeats. */
final class NodeRecords {

  private final Clock clock;
  private final Duration staleAfter;

  NodeRecords(Clock clock, Duration heartbeatInterval) {
    this.clock = clock;
    this.staleAfter = heartbeatInterval.multipliedBy(3);
  }

  NodeRecord toRecord(NodeRow row) {
    NodeRecord.Builder b =
        NodeRecord.newBuilder()
            .setNodeId(row.id())
            .setHostname(row.hostname())
            .setProfile(row.profile())
            .setCluster(row.cluster())
            .setAgentVersion(row.agentVersion())
            .setArch(row.arch())
            .setAgentAddress(row.agentAddress())
            .setEnrolment(
                row.state() == NodeState.ACTIVE
                    ? EnrolmentState.ENROLMENT_ACTIVE
                    : EnrolmentState.ENROLMENT_REVOKED)
            .setEnrolledAt(timestamp(row.enrolledAt()));
    if (row.lastSeen() != null) {
      b.setLastSeen(timestamp(row.lastSeen()));
    }
    if (row.certSerial() != null) {
      b.setCertificateSerial(row.certSerial());
    }
    if (row.certNotAfter() != null) {
      b.setCertificateNotAfter(timestamp(row.certNotAfter()));
    }
    try {
      if (row.lastStatus() != null) {
        NodeStatus status = NodeStatus.parseFrom(row.lastStatus());
        b.setLastStatus(status);
        // An upgraded agent reports its new version in every heartbeat; enrolment's is older.
        if (!status.getNode().getAgentVersion().isEmpty()) {
          b.setAgentVersion(status.getNode().getAgentVersion());
        }
      }
      if (row.facts() != null) {
        b.setFacts(HardwareFacts.parseFrom(row.facts()));
      }
    } catch (InvalidProtocolBufferException e) {
      // Stored by this controller from parsed messages, so only a damaged file gets here.
      throw new IllegalStateException(
          "stored status/facts of node " + row.id() + " are damaged", e);
    }
    Instant reference = row.lastSeen() != null ? row.lastSeen() : row.enrolledAt();
    b.setStale(
        row.state() == NodeState.ACTIVE && reference.plus(staleAfter).isBefore(clock.instant()));
    return b.build();
  }

  /** An install as the fleet list shows it. */
  static InstallingNode installing(InstallProgressRow row) {
    return InstallingNode.newBuilder()
        .setTokenId(row.tokenId())
        .setHostname(row.hostname())
        .setArch(row.arch())
        .setPhase(row.phase())
        .setMessage(row.message())
        .setStartedAt(timestamp(row.startedAt()))
        .setUpdatedAt(timestamp(row.updatedAt()))
        .setSource(row.source())
        .setCluster(row.cluster())
        .setProfile(row.profile())
        .build();
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }
}
