package org.debvisor.controller.server;

import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.debvisor.common.violation.BadRequests;
import org.debvisor.controller.rollout.NodeRolloutState;
import org.debvisor.controller.rollout.Rollout;
import org.debvisor.controller.rollout.RolloutEngine;
import org.debvisor.controller.rollout.RolloutNode;
import org.debvisor.controller.rollout.RolloutRefusedException;
import org.debvisor.controller.rollout.RolloutSpec;
import org.debvisor.controller.rollout.RolloutView;
import org.debvisor.controller.rollout.WavePlan;
import org.debvisor.proto.ChangeRolloutRequest;
import org.debvisor.proto.CreateRolloutRequest;
import org.debvisor.proto.GetRolloutRequest;
import org.debvisor.proto.ListRolloutsResponse;
import org.debvisor.proto.RolloutNodeState;

/** The rollout RPCs: requests to engine calls, engine refusals to gRPC statuses, rows to protos. */
final class RolloutRpc {

  private final RolloutEngine engine;

  RolloutRpc(RolloutEngine engine) {
    this.engine = engine;
  }

  org.debvisor.proto.Rollout create(CreateRolloutRequest request, Caller caller) {
    return refusals(
        () -> {
          if (!request.hasBundle()) {
            throw RolloutRefusedException.invalid("bundle", "is required");
          }
          if (!request.hasGateWindow()) {
            throw RolloutRefusedException.invalid("gate_window", "is required, e.g. 60s");
          }
          List<Integer> percents = new ArrayList<>();
          request.getWavePercentsList().forEach(p -> percents.add(p));
          java.time.Duration window =
              java.time.Duration.ofSeconds(
                  request.getGateWindow().getSeconds(), request.getGateWindow().getNanos());
          RolloutSpec spec =
              new RolloutSpec(
                  request.getName(),
                  request.getSelector(),
                  (int) Math.min(request.getCanary(), Integer.MAX_VALUE),
                  WavePlan.of(percents),
                  request.getMaxUnavailable(),
                  request.getMaxFailures(),
                  window,
                  request.getApproveAfterCanary(),
                  request.getBundle());
          Rollout created = engine.create(spec, caller.name(), caller.source());
          return proto(engine.view(created.id()), true);
        });
  }

  ListRolloutsResponse list() {
    ListRolloutsResponse.Builder out = ListRolloutsResponse.newBuilder();
    for (Rollout r : engine.list()) {
      org.debvisor.proto.Rollout.Builder b = summary(r);
      Map<NodeRolloutState, Integer> counts = engine.counts(r.id());
      for (NodeRolloutState s : NodeRolloutState.values()) {
        b.putNodeCounts(s.name(), counts.getOrDefault(s, 0));
      }
      out.addRollouts(b.build());
    }
    return out.build();
  }

  org.debvisor.proto.Rollout get(GetRolloutRequest request) {
    return refusals(() -> proto(engine.view(id(request.getId())), true));
  }

  org.debvisor.proto.Rollout change(ChangeRolloutRequest request, Caller caller) {
    return refusals(
        () -> {
          String id = id(request.getId());
          String who = caller.name();
          String from = caller.source();
          Rollout after =
              switch (request.getAction()) {
                case PAUSE -> engine.pause(id, who, from);
                case RESUME -> engine.resume(id, who, from);
                case APPROVE -> engine.approve(id, who, from);
                case ABORT -> engine.abort(id, who, from);
                case ROLLBACK -> engine.rollback(id, who, from);
                default ->
                    throw RolloutRefusedException.invalid(
                        "action", "is required: PAUSE, RESUME, APPROVE, ABORT or ROLLBACK");
              };
          return proto(engine.view(after.id()), true);
        });
  }

  private static String id(String id) {
    if (id.isEmpty()) {
      throw RolloutRefusedException.invalid("id", "is required; see `debvisor rollout list`");
    }
    if (id.length() > 64) {
      throw RolloutRefusedException.invalid("id", "is longer than 64 characters");
    }
    return id;
  }

  private static org.debvisor.proto.Rollout proto(RolloutView view, boolean withNodes) {
    org.debvisor.proto.Rollout.Builder b = summary(view.rollout());
    Map<String, Integer> counts = new java.util.TreeMap<>();
    for (RolloutNode n : view.nodes()) {
      counts.merge(n.state().name(), 1, Integer::sum);
      if (withNodes) {
        b.addNodes(
            RolloutNodeState.newBuilder()
                .setNodeId(n.nodeId())
                .setHostname(n.hostname())
                .setWave(n.wave())
                .setState(n.state().name())
                .setPreviousVersion(n.previousVersion())
                .setReason(n.reason())
                .setAttempts(n.attempts())
                .setUpdatedAt(NodeRecords.timestamp(n.updatedAt())));
      }
    }
    for (NodeRolloutState s : NodeRolloutState.values()) {
      b.putNodeCounts(s.name(), counts.getOrDefault(s.name(), 0));
    }
    return b.build();
  }

  private static org.debvisor.proto.Rollout.Builder summary(Rollout r) {
    org.debvisor.proto.Rollout.Builder b =
        org.debvisor.proto.Rollout.newBuilder()
            .setId(r.id())
            .setName(r.name())
            .setCluster(r.cluster())
            .setState(r.state().name())
            .setSelector(r.selector())
            .setBundleVersion(r.bundleVersion())
            .setCanary(r.canary())
            .setMaxUnavailable(r.maxUnavailable())
            .setMaxFailures(r.maxFailures())
            .setGateWindow(
                Duration.newBuilder()
                    .setSeconds(r.gateWindow().getSeconds())
                    .setNanos(r.gateWindow().getNano()))
            .setApproveAfterCanary(r.approveAfterCanary())
            .setCurrentWave(r.currentWave())
            .setReason(r.reason())
            .setTrippingNode(r.trippingNode())
            .setCreatedBy(r.createdBy())
            .setCreatedAt(NodeRecords.timestamp(r.createdAt()))
            .setUpdatedAt(NodeRecords.timestamp(r.updatedAt()));
    r.waves().percents().forEach(b::addWavePercents);
    if (r.gateUntil() != null) {
      b.setGateUntil(NodeRecords.timestamp(r.gateUntil()));
    }
    if (r.finishedAt() != null) {
      b.setFinishedAt(NodeRecords.timestamp(r.finishedAt()));
    }
    return b;
  }

  private static <T> T refusals(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (RolloutRefusedException e) {
      throw status(e);
    }
  }

  static StatusRuntimeException status(RolloutRefusedException e) {
    return switch (e.kind()) {
      case INVALID -> BadRequests.invalidArgument(e.field(), e.rule());
      case CONFLICT ->
          Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
      case NOT_FOUND -> Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
    };
  }
}
