package org.debvisor.agent.server;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.debvisor.common.violation.BadRequests;
import org.debvisor.proto.CheckOkToStopRequest;
import org.debvisor.proto.CheckOkToStopResponse;

/**
 * {@code debvisor.Node/CheckOkToStop}: asks on its own executor, since the Ceph client blocks for
 * up to its timeouts and must stay off the event loop.
 */
final class OkToStopRpc {

  /** More OSDs than any one host holds; a longer list is a caller's mistake. */
  static final int MAX_OSDS = 1024;

  private final OsdStopCheck ceph;
  private final ExecutorService executor;

  OkToStopRpc(OsdStopCheck ceph, ExecutorService executor) {
    this.ceph = ceph;
    this.executor = executor;
  }

  void check(CheckOkToStopRequest request, StreamObserver<CheckOkToStopResponse> observer) {
    if (request.getOsdIdsCount() > MAX_OSDS) {
      observer.onError(
          BadRequests.invalidArgument(
              "osd_ids", "must name at most " + MAX_OSDS + " OSDs (ask per host)"));
      return;
    }
    List<Integer> ids = List.copyOf(request.getOsdIdsList());
    try {
      executor.execute(() -> answer(ids, observer));
    } catch (RejectedExecutionException e) {
      observer.onError(
          Status.UNAVAILABLE.withDescription("agent is shutting down").asRuntimeException());
    }
  }

  private void answer(List<Integer> ids, StreamObserver<CheckOkToStopResponse> observer) {
    CheckOkToStopResponse response;
    try {
      response = ceph.check(ids);
    } catch (StatusException e) {
      observer.onError(e);
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }
}
