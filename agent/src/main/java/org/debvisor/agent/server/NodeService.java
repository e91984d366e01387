package org.debvisor.agent.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.debvisor.agent.config.ConfigStore;
import org.debvisor.agent.config.ConfigUpdater;
import org.debvisor.agent.report.StatusBoard;
import org.debvisor.common.violation.BadRequests;
import org.debvisor.proto.CheckOkToStopRequest;
import org.debvisor.proto.CheckOkToStopResponse;
import org.debvisor.proto.ConfigHistoryRequest;
import org.debvisor.proto.ConfigHistoryResponse;
import org.debvisor.proto.ConfigState;
import org.debvisor.proto.GetConfigRequest;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.StatusRequest;
import org.debvisor.proto.UpdateConfigRequest;
import org.debvisor.proto.UpdateConfigResponse;
import org.debvisor.proto.WatchStatusRequest;

/** {@code debvisor.Node}: answers status from the {@link StatusBoard}, never from a collector. */
public final class NodeService extends NodeGrpc.NodeImplBase {

  static final Duration MIN_HEARTBEAT = Duration.ofSeconds(1);
  static final Duration MAX_HEARTBEAT = Duration.ofHours(1);

  private final StatusBoard board;
  private final WatchFanout fanout;
  private final ScheduledExecutorService timer;
  private final Duration defaultHeartbeat;
  private final ConfigRpcs config;
  private final OkToStopRpc okToStop;

  public NodeService(
      StatusBoard board,
      ScheduledExecutorService timer,
      Duration defaultHeartbeat,
      ConfigUpdater updater,
      ConfigStore store,
      ExecutorService configExecutor,
      OsdStopCheck osdStopCheck,
      ExecutorService cephExecutor) {
    this.board = board;
    this.fanout = WatchFanout.onOwnThread(board);
    this.timer = timer;
    this.defaultHeartbeat = defaultHeartbeat;
    this.config = new ConfigRpcs(updater, store, configExecutor);
    this.okToStop = new OkToStopRpc(osdStopCheck, cephExecutor);
  }

  @Override
  public void checkOkToStop(
      CheckOkToStopRequest request, StreamObserver<CheckOkToStopResponse> responseObserver) {
    okToStop.check(request, responseObserver);
  }

  @Override
  public void updateConfig(
      UpdateConfigRequest request, StreamObserver<UpdateConfigResponse> responseObserver) {
    config.update(request, responseObserver);
  }

  @Override
  public void getConfig(GetConfigRequest request, StreamObserver<ConfigState> responseObserver) {
    config.get(request, responseObserver);
  }

  @Override
  public void configHistory(
      ConfigHistoryRequest request, StreamObserver<ConfigHistoryResponse> responseObserver) {
    config.history(request, responseObserver);
  }

  @Override
  public void status(StatusRequest request, StreamObserver<NodeStatus> responseObserver) {
    responseObserver.onNext(board.current());
    responseObserver.onCompleted();
  }

  @Override
  public void watchStatus(WatchStatusRequest request, StreamObserver<NodeStatus> responseObserver) {
    Duration heartbeat = defaultHeartbeat;
    if (request.hasHeartbeatInterval()) {
      com.google.protobuf.Duration requested = request.getHeartbeatInterval();
      Duration asked = Duration.ofSeconds(requested.getSeconds(), requested.getNanos());
      if (!asked.isZero()) {
        if (asked.compareTo(MIN_HEARTBEAT) < 0 || asked.compareTo(MAX_HEARTBEAT) > 0) {
          responseObserver.onError(
              BadRequests.invalidArgument(
                  "heartbeat_interval",
                  "must be between 1s and 1h (or unset for the agent's default)"));
          return;
        }
        heartbeat = asked;
      }
    }
    new StatusWatch(
            board,
            fanout,
            (ServerCallStreamObserver<NodeStatus>) responseObserver,
            timer,
            heartbeat)
        .start();
  }
}
