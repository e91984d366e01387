package org.debvisor.controller.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.proto.ChangeRolloutRequest;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.CreateBootstrapTokenResponse;
import org.debvisor.proto.CreateRolloutRequest;
import org.debvisor.proto.GetNodeStatusRequest;
import org.debvisor.proto.GetRolloutRequest;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.HeartbeatResponse;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.ListNodesResponse;
import org.debvisor.proto.ListRolloutsRequest;
import org.debvisor.proto.ListRolloutsResponse;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.RegisterNodeRequest;
import org.debvisor.proto.RegisterNodeResponse;
import org.debvisor.proto.RenewCertificateRequest;
import org.debvisor.proto.RenewCertificateResponse;
import org.debvisor.proto.RevokeNodeRequest;
import org.debvisor.proto.RevokeNodeResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** debvisor.Controller: hands each RPC to enrolment or the fleet and maps failures to statuses. */
final class ControllerService extends ControllerGrpc.ControllerImplBase {

  private static final Logger log = LoggerFactory.getLogger(ControllerService.class);

  private final Enrolment enrolment;
  private final Fleet fleet;
  private final RolloutRpc rollouts;

  ControllerService(Enrolment enrolment, Fleet fleet, RolloutRpc rollouts) {
    this.enrolment = enrolment;
    this.fleet = fleet;
    this.rollouts = rollouts;
  }

  @Override
  public void createRollout(
      CreateRolloutRequest request, StreamObserver<org.debvisor.proto.Rollout> response) {
    answer(response, () -> rollouts.create(request, Caller.current()));
  }

  @Override
  public void listRollouts(
      ListRolloutsRequest request, StreamObserver<ListRolloutsResponse> response) {
    answer(response, rollouts::list);
  }

  @Override
  public void getRollout(
      GetRolloutRequest request, StreamObserver<org.debvisor.proto.Rollout> response) {
    answer(response, () -> rollouts.get(request));
  }

  @Override
  public void changeRollout(
      ChangeRolloutRequest request, StreamObserver<org.debvisor.proto.Rollout> response) {
    answer(response, () -> rollouts.change(request, Caller.current()));
  }

  @Override
  public void registerNode(
      RegisterNodeRequest request, StreamObserver<RegisterNodeResponse> response) {
    answer(response, () -> enrolment.register(request, Caller.current()));
  }

  @Override
  public void renewCertificate(
      RenewCertificateRequest request, StreamObserver<RenewCertificateResponse> response) {
    answer(response, () -> enrolment.renew(request, Caller.current()));
  }

  @Override
  public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
    answer(response, () -> fleet.heartbeat(request, Caller.current()));
  }

  @Override
  public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> response) {
    answer(response, () -> fleet.list(request));
  }

  @Override
  public void getNodeStatus(GetNodeStatusRequest request, StreamObserver<NodeRecord> response) {
    answer(response, () -> fleet.show(request.getNode()));
  }

  @Override
  public void createBootstrapToken(
      CreateBootstrapTokenRequest request, StreamObserver<CreateBootstrapTokenResponse> response) {
    answer(response, () -> fleet.createToken(request, Caller.current()));
  }

  @Override
  public void revokeNode(RevokeNodeRequest request, StreamObserver<RevokeNodeResponse> response) {
    answer(response, () -> fleet.revoke(request, Caller.current()));
  }

  private static <T> void answer(StreamObserver<T> response, Supplier<T> work) {
    T result;
    try {
      result = work.get();
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    } catch (InventoryException e) {
      log.warn("inventory failure", e);
      response.onError(InventoryStatus.of(e));
      return;
    } catch (RuntimeException e) {
      log.error("unexpected failure", e);
      response.onError(
          Status.INTERNAL
              .withDescription("internal error (" + e.getClass().getSimpleName() + "); see log")
              .asRuntimeException());
      return;
    }
    response.onNext(result);
    response.onCompleted();
  }
}
